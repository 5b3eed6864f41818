"""Bouton « Mettre à jour » de exercises.xlsm (xlwings).

Le bouton du classeur exécute la macro ``SampleCall`` (module xlwings), qui appelle ``main()`` ci-dessous.
Prérequis : Python avec ``xlsales`` installé (``pip install xlsales``) ; macros activées.
Sous xlwings Lite, collez la fonction ``nouvel_exercice`` dans main.py.
"""

import xlwings as xw

from xlsales.macros.exercises import refresh


def main():
    """Reconstruit les feuilles calculées du classeur à partir de ses feuilles de saisie."""
    refresh(xw.Book.caller())


try:  # xlwings Lite: the same work as a script (ignored by classic xlwings)
    from xlwings import script

    @script
    def nouvel_exercice(book: xw.Book):
        refresh(book)

except ImportError:  # pragma: no cover - classic xlwings without `script`
    pass
