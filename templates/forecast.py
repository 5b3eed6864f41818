"""Bouton « Mettre à jour » de forecast.xlsm (xlwings).

Le bouton du classeur exécute la macro ``SampleCall`` (module xlwings), qui appelle ``main()`` ci-dessous.
Prérequis : Python avec ``xlsales`` installé (``pip install xlsales``) ; macros activées.
Sous xlwings Lite, collez la fonction ``actualiser_previsions`` dans main.py.
"""

import xlwings as xw

from xlsales.macros.forecast import refresh


def main():
    """Reconstruit les feuilles calculées du classeur à partir de ses feuilles de saisie."""
    refresh(xw.Book.caller())


try:  # xlwings Lite: the same work as a script (ignored by classic xlwings)
    from xlwings import script

    @script
    def actualiser_previsions(book: xw.Book):
        refresh(book)

except ImportError:  # pragma: no cover - classic xlwings without `script`
    pass
