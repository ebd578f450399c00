"""A static site generator for Chinese departmental budget disclosures (部门预算公开)."""

__version__ = "0.1.0"
