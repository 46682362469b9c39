"""Template helpers of the counter pages: the menu links and explanations."""

from __future__ import annotations

from django import template

from shebao.counter import access

register = template.Library()


@register.inclusion_tag("web/counter/_nav.html", takes_context=True)
def counter_nav(context, user):
    request = context.get("request")
    current = request.resolver_match.url_name if request and request.resolver_match else ""
    return {
        "may_read_renewals": access.can_read_renewals(user),
        "may_verify": access.can_verify_certificate(user),
        "current": current,
    }


@register.inclusion_tag("web/counter/_explain.html")
def explanation(explain: dict, summary: str = "计算说明"):
    return {"x": explain, "summary": summary}
