"""The auditor's page (审计日志) in Chinese: action, outcome and object labels, readable details,
the 操作 filter as a list, and exports that keep the codes beside a label column."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from shebao.audit import services as audit
from shebao.web import labels

pytestmark = pytest.mark.django_db

SHEBAO = Path(__file__).resolve().parents[2] / "shebao"


@pytest.fixture
def auditor_client(client, users):
    client.force_login(users["auditor"])
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _recorded_actions() -> set[str]:
    """Every literal action code passed to audit.record(...) or to a helper that records it."""
    found = set()
    for path in SHEBAO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for arg in node.args[1:3]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if re.fullmatch(r"[a-z]+\.[a-z_]+", arg.value) and "." in arg.value:
                        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                        if name in ("record", "_get_audited", "_approval_or_404", "_require_admin"):
                            found.add(arg.value)
    return found


def test_every_recorded_action_has_a_chinese_label():
    actions = _recorded_actions()
    assert {"person.view", "login.failure", "certificate.issue", "user.create"} <= actions  # the scan works
    assert sorted(actions - set(labels.AUDIT_ACTIONS)) == []


@pytest.mark.parametrize(
    ("action", "outcome", "object_type", "object_id", "shown"),
    [
        ("person.view", "ok", "person", 12, ["查阅人员档案", "成功", "人员 #12"]),
        ("import.file", "ok", "source_file", 86, ["导入文件", "来源文件 #86"]),
        ("login.failure", "denied", "user", "", ["登录失败", "拒绝", "用户"]),
        ("certificate.issue", "ok", "person", 3, ["出具证明", "人员 #3"]),
        ("backup.restore", "error", "", "", ["恢复", "错误"]),
    ],
)
def test_entries_are_shown_in_chinese(auditor_client, action, outcome, object_type, object_id, shown):
    audit.record("clerk_z", action, object_type=object_type, object_id=object_id, outcome=outcome)
    text = _text(auditor_client.get(reverse("web:audit"), {"actor": "clerk_z"}))
    for words in shown:
        assert words in text
    assert action not in text  # the code only in a tooltip (title), not in the text


def test_details_are_key_value_lines_not_json(auditor_client):
    audit.record("clerk_z", "person.search", detail={"query": "何*兰", "results": 2, "channel": "web"})
    response = auditor_client.get(reverse("web:audit"), {"actor": "clerk_z"})
    text = _text(response)
    assert "查询内容： 何*兰" in text and "结果数： 2" in text and "渠道： web" in text
    assert (
        '{"channel"' not in response.content.decode()
        and "&quot;channel&quot;" not in response.content.decode()
    )


def test_the_action_filter_is_a_select_of_labels(auditor_client):
    audit.record("clerk_z", "login.failure", outcome="denied")
    audit.record("clerk_z", "login.success")
    audit.record("clerk_z", "person.view", object_type="person", object_id=1)
    response = auditor_client.get(reverse("web:audit"), {"actor": "clerk_z", "action": "login.failure"})
    html = response.content.decode()
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', html, flags=re.S)
    assert select, "操作 is a <select>"
    assert '<option value="login.failure" selected>登录失败</option>' in select.group(1)
    assert '<option value="person.view">查阅人员档案</option>' in select.group(1)
    assert "共 1 条" in _text(response)
    # a whole group: every login.* entry
    assert "共 2 条" in _text(
        auditor_client.get(reverse("web:audit"), {"actor": "clerk_z", "action": "login."})
    )


def test_csv_export_keeps_codes_and_adds_labels(auditor_client):
    audit.record("clerk_z", "person.view", object_type="person", object_id=12, outcome="denied")
    response = auditor_client.get(reverse("web:audit"), {"actor": "clerk_z", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["操作"], row["操作说明"]) == ("person.view", "查阅人员档案")
    assert (row["结果"], row["结果说明"]) == ("denied", "拒绝")
    assert (row["对象类型"], row["对象编号"], row["对象"]) == ("person", "12", "人员 #12")
