"""Chinese wording of the codes the importer and the history use (界面用语).

One place for every machine code the web UI shows, so that a clerk never reads
``id_number_damaged`` where 身份证号被表格软件存成数字 is meant.
"""

from __future__ import annotations

# Rejection reason codes of the contract (拒收原因), in its order of precedence.
REASONS = {
    "missing_id_number": "缺少身份证号",
    "id_number_damaged": "身份证号被表格软件存成数字，末几位已丢失",
    "id_number_format": "身份证号格式不正确（应为 18 位或 15 位）",
    "id_number_date": "身份证号中的出生日期无效",
    "id_number_check_digit": "身份证号校验位错误",
    "id_number_region": "身份证号地区码无效（省级代码不存在）",
    "missing_name": "缺少姓名",
    "bad_date": "日期无法识别",
    "bad_amount": "金额无法识别",
    "unreadable_file": "文件无法读取（损坏、为空或格式不支持）",
    "encoding": "文件编码无法识别（应为 UTF-8、UTF-16 或 GB18030/GBK）",
    "unknown_columns": "未能识别表头（列名无法对应）",
}

# Warning codes (警告): the row or file was imported, something was left empty.
WARNINGS = {
    "no_reporting_date": "花名册无填报日期",
    "no_employer": "未找到单位名称",
    "bad_date": "日期无法识别，已留空",
    "bad_amount": "金额无法识别，已留空",
    "bad_sex": "性别无法识别，已留空",
    "unknown_county": "地区码不在历史区划代码表中",
}

# Source kinds (来源类型).
KINDS = {
    "roster": "花名册",
    "annual": "历年缴费记录",
    "backpay": "补缴分解表",
    "card": "养老保险卡",
}

# Conflicting fields (冲突字段).
FIELDS = {
    "name": "姓名",
    "birth_date": "出生日期",
    "work_start": "参加工作时间",
    "category": "用工性质",
    "sex": "性别",
    "archive_birth_date": "档案出生日期",
}

SEX = {"M": "男", "F": "女"}
CATEGORY = {"worker": "工人", "cadre": "干部"}
ROW_STATUS = {"accepted": "接收", "rejected": "拒收", "skipped": "跳过"}

# Month states of the timeline: (label, one-character cue shown in the cell).
MONTH_STATES = {
    "paid": ("已缴费", "缴"),
    "backpaid": ("补缴", "补"),
    "gap": ("未缴费（间断）", "断"),
    "arrears": ("欠缴（在职未缴）", "欠"),
    "deemed": ("视同缴费", "视"),
    "stopped": ("中断缴费（最后缴费之后）", "停"),
    "none": ("无记录", ""),
}


def reason_label(code: str) -> str:
    return REASONS.get(code, code or "")


def warning_label(code: str) -> str:
    return WARNINGS.get(code, code or "")


# Audit log (审计日志): what was done, to what, with what result.  Every action code
# ``audit.record(...)`` writes; grouped for the filter's <select>.  Exports keep the codes.
AUDIT_ACTION_GROUPS = {
    "人员": {
        "person.search": "查询",
        "person.view": "查阅人员档案",
        "person.decide": "认定",
        "row.view": "查看原始记录",
    },
    "导入": {
        "import.file": "导入文件",
        "import.view": "查看导入结果",
        "import.rejections": "下载拒收清单",
    },
    "柜台": {
        "certificate.issue": "出具证明",
        "certificate.verify": "核验证明",
        "renewal.rebuild": "生成续保提醒",
        "renewal.status": "更新续保提醒状态",
        "renewal.export": "导出续保提醒",
        "employer.arrears": "单位欠缴查询",
    },
    "登录": {
        "login.success": "登录成功",
        "login.failure": "登录失败",
        "login.locked": "登录锁定",
        "login.lockouts": "查看登录锁定",
        "login.unlock": "解除登录锁定",
    },
    "审批": {
        "approval.request": "申请审批",
        "approval.approve": "审批通过",
        "approval.reject": "审批驳回",
    },
    "系统": {
        "user.create": "创建用户",
        "backup.create": "备份",
        "backup.restore": "恢复",
        "audit.read": "审计日志查看",
        "audit.export": "审计日志导出",
    },
}
# A code prefix selects all its actions (审计页的“全部”选项).
AUDIT_ACTION_PREFIXES = {
    "person.": "人员档案（全部）",
    "import.": "导入（全部）",
    "certificate.": "证明（全部）",
    "renewal.": "续保提醒（全部）",
    "login.": "登录（全部）",
    "approval.": "审批（全部）",
    "backup.": "备份/恢复（全部）",
    "audit.": "审计日志（全部）",
}
AUDIT_ACTIONS = {code: label for group in AUDIT_ACTION_GROUPS.values() for code, label in group.items()}
AUDIT_OUTCOMES = {"ok": "成功", "denied": "拒绝", "error": "错误", "invalid": "无效"}
AUDIT_OBJECTS = {
    "person": "人员",
    "source_file": "来源文件",
    "source_row": "原始记录",
    "import_run": "导入批次",
    "certificate": "证明",
    "renewal_entry": "续保提醒",
    "employer": "单位",
    "approval": "审批",
    "user": "用户",
}
# Keys of an entry's detail (详情); unknown keys are shown as written.
AUDIT_DETAIL_KEYS = {
    "channel": "渠道",
    "query": "查询内容",
    "results": "结果数",
    "reason": "原因",
    "kind": "种类",
    "id": "身份证号",
    "field": "字段",
    "code": "核验码",
    "file": "文件",
    "sha256": "SHA-256",
    "rows": "行数",
    "format": "格式",
    "filters": "筛选条件",
    "username": "用户名",
    "role": "角色",
    "ip": "IP",
    "until": "锁定至",
    "approval": "审批单",
    "action": "操作",
    "requester": "申请人",
    "status": "状态",
    "from": "原状态",
    "to": "新状态",
    # the audit page's own filters (audit.read / audit.export)
    "actor": "操作人",
    "object_type": "对象类型",
    "object_id": "对象编号",
    "date_from": "起始日期",
    "date_to": "截止日期",
    "outcome": "结果",
}


def audit_action_label(code: str) -> str:
    return AUDIT_ACTIONS.get(code, code or "")


def audit_outcome_label(code: str) -> str:
    return AUDIT_OUTCOMES.get(code, code or "")


def audit_object_label(object_type: str, object_id: str) -> str:
    """人员 #12, 来源文件 #86; empty when the entry is about no object."""
    if not object_type and not object_id:
        return ""
    kind = AUDIT_OBJECTS.get(object_type, object_type)
    return f"{kind} #{object_id}" if object_id else kind


def audit_detail_lines(detail) -> list[tuple[str, str]]:
    """An entry's detail as (key, value) lines for reading; nested values flattened to k=v."""
    if not isinstance(detail, dict):
        return [("", str(detail))] if detail not in (None, "", {}) else []
    lines = []
    for key in sorted(detail):
        value = detail[key]
        if isinstance(value, dict):
            text = "，".join(f"{AUDIT_DETAIL_KEYS.get(k, k)}={v}" for k, v in sorted(value.items())) or "—"
        elif isinstance(value, list | tuple):
            text = "、".join(str(v) for v in value) or "—"
        elif value is None or value == "":
            text = "—"
        else:
            text = str(value)
        lines.append((AUDIT_DETAIL_KEYS.get(key, key), text))
    return lines
