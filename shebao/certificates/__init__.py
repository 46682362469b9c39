"""Certificates (证明): 参保缴费证明 and the re-issued handbook record (补办手册) as PDF.

Plain data in, PDF bytes out; no Django.  See docs/certificates.md.
"""

from shebao.certificates.fonts import FontUnavailable, check_fonts
from shebao.certificates.render import (
    CertificateData,
    CertificateDataError,
    GapData,
    PeriodData,
    PersonData,
    RenderResult,
    SummaryData,
    render_certificate,
    with_code,
)
from shebao.certificates.verification import CodeError, check_code, make_code, normalize_code

__all__ = [
    "CertificateData",
    "CertificateDataError",
    "CodeError",
    "FontUnavailable",
    "GapData",
    "PeriodData",
    "PersonData",
    "RenderResult",
    "SummaryData",
    "check_code",
    "check_fonts",
    "make_code",
    "normalize_code",
    "render_certificate",
    "with_code",
]
