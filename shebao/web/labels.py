"""Chinese wording of the codes the importer and the history use (界面用语).

One place for every machine code the web UI shows, so that a clerk never reads
``id_number_damaged`` where 身份证号被表格软件损坏 is meant.
"""

from __future__ import annotations

# Rejection reason codes of the contract (拒收原因), in its order of precedence.
REASONS = {
    "missing_id_number": "缺少身份证号",
    "id_number_damaged": "身份证号被表格软件损坏（科学计数法），须按原件重新录入为文本",
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
