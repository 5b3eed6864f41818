"""Errors of the sales-math core and the Excel error value each one stands for.

This is the project's single error mapping: every layer (UDFs, sheet builders, CLI)
turns a core error into what its user sees through :attr:`SalesMathError.excel`.
"""

from __future__ import annotations

__all__ = [
    "SalesMathError",
    "BadValueError",
    "DivisionByZeroError",
    "DomainError",
    "NotAvailableError",
    "EXCEL_ERRORS",
]

#: The Excel error values a cell may show, as strings (xlwings Lite turns them into real errors).
EXCEL_ERRORS = ("#VALUE!", "#DIV/0!", "#NUM!", "#N/A")


class SalesMathError(ValueError):
    """Bad input for a computation.

    Parameters
    ----------
    message : str
        A short French message for the user.
    argument : str, optional
        The name of the argument at fault (as in the function catalogue).
    """

    #: Excel error value shown in the cell.
    excel = "#VALUE!"

    def __init__(self, message: str, argument: str | None = None):
        self.argument = argument
        self.message = message
        text = f"{argument} : {message}" if argument else message
        super().__init__(text)


class BadValueError(SalesMathError, TypeError):
    """Wrong type: text where a number is expected, unknown option… (``#VALUE!``)."""

    excel = "#VALUE!"


class DivisionByZeroError(SalesMathError, ZeroDivisionError):
    """A zero denominator (``#DIV/0!``)."""

    excel = "#DIV/0!"


class DomainError(SalesMathError):
    """A value outside the domain: negative quantity, rate ≥ 1… (``#NUM!``)."""

    excel = "#NUM!"


class NotAvailableError(SalesMathError):
    """Ranges of different sizes, or not enough data (``#N/A``)."""

    excel = "#N/A"
