"""newsarchive: a faithful, versioned archive of the news."""

__version__ = "0.1.0"
