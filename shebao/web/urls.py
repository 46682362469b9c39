from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path

from shebao.web import views, views_approvals, views_audit, views_counter


def favicon(request):
    """Browsers ask for /favicon.ico on every page: send them to the SVG icon (no 404 in the logs)."""
    return redirect(static("web/favicon.svg"), permanent=True)


app_name = "web"
urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.search, name="search"),
    path("person/<int:pk>/", views.person, name="person"),
    path("row/<int:pk>/", views.row, name="row"),
    path("import/", views.import_page, name="import"),
    path("import/<int:run_id>/", views.import_run, name="import_run"),
    path("import/<int:run_id>/rejections.xlsx", views.import_rejections, name="import_rejections"),
]

# 窗口业务: retirement & continuation panel, certificates, employer arrears, renewal queue
urlpatterns += views_counter.urlpatterns

# 审计日志: the auditor's page (shebao.web.views_audit)
urlpatterns += [path("audit/", views_audit.audit_log, name="audit")]

# 审批 (approvals) and 登录锁定 (lock-outs, administrators): shebao.web.views_approvals
urlpatterns += views_approvals.urlpatterns
