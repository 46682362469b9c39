"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

(X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy come from
SecurityMiddleware, X-Frame-Options DENY from XFrameOptionsMiddleware.)  The policy
allows scripts and styles from our own origin only: templates carry no inline script
or event handler attributes (tests/security/test_headers.py checks them).
"""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages with personal data are not kept by the browser or proxies.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
