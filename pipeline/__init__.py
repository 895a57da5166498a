"""thidua: from an emulation cluster's score workbook to the four signed documents of its review."""

__version__ = "0.1.0"
