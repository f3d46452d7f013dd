"""Word to PDF through the real LibreOffice, for every entry point: the server's pool
of kept-alive converters (:class:`PdfConverter`) and the command line's single
conversion (:func:`convert_docx`) run the same code, with the same hardened
profiles and the same fonts (:mod:`xlsummary.pdf.fonts`)."""

from xlsummary.pdf.converter import PdfConverter, PoolSettings, convert_docx, uno_python

__all__ = ["PdfConverter", "PoolSettings", "convert_docx", "uno_python"]
