"""The core every layer reads: the structure stated in schemas/, and resources as typed frames."""
