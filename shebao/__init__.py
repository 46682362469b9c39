"""shebao (社保): legacy social-insurance records in, one verified contribution history per person out."""

__version__ = "0.1.0"
