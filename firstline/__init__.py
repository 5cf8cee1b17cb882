"""firstline: border-security targeting for Customs.

The public façade is deliberately small; everything else may move between releases.
"""

from firstline.exc import FirstlineError

__all__ = ["FirstlineError", "__version__"]
__version__ = "0.1.0"
