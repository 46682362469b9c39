"""The counter's subcommands of ``shebao``: plan, pension, certificate, arrears, renewal-queue.

Registered by ``shebao.cli.build_parser`` through :func:`add_commands`; same style as the
other commands (``_ensure_database``, ``acting_user``, ``--json`` with ``explain``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def _common():
    from shebao import cli

    return cli


def _one_person(args, user, *, json_out: bool, purpose: str):
    """The single person a query names, opened (checked and audited); else an exit code."""
    from shebao.accounts import policy as access
    from shebao.people import selectors, services

    cli = _common()
    found = selectors.find_persons(args.query, base=access.persons_visible_to(user))
    services.record_search(user, args.query, len(found.persons), channel="cli")
    if not found.persons:
        if json_out:
            cli._print_json({"error": "not_found", "query": args.query})
        else:
            print(f"未找到：{args.query}", file=sys.stderr)
        return None, 1
    if len(found.persons) > 1:
        candidates = [selectors.candidate_json(p) for p in found.persons]
        if json_out:
            cli._print_json({"error": "several_persons", "candidates": candidates})
        else:
            print(f"{len(candidates)} 人匹配，请用身份证号：", file=sys.stderr)
            for c in candidates:
                print(f"  {c['id_number']}  {c['name']}  {c['birth_date']}", file=sys.stderr)
        return None, 1
    try:
        person = services.open_person(user, found.persons[0], purpose=purpose, channel="cli")
    except services.PermissionDenied as exc:
        print(str(exc), file=sys.stderr)
        return None, 1
    return person, 0


def _as_of(args) -> int | None:
    cli = _common()
    try:
        return cli._as_of(args)
    except ValueError as exc:
        print(f"--as-of: {exc}", file=sys.stderr)
        return None


def _print_explain(explain: dict, *, full: bool, indent: str = "  ") -> None:
    """An explanation as text: notes always; with ``full`` the rule, steps and parameters (labels)."""
    if full:
        print(f"{indent}计算规则：{explain['rule']}")
        for n, step in enumerate(explain.get("steps", []), 1):
            print(f"{indent}  {n}. {step}")
        for p in explain.get("parameters", []):
            print(f"{indent}  · {p.get('label') or p['name']}：{p['value']}（{p['source']}）")
    for note in explain.get("notes", []):
        print(f"{indent}注：{note}")


def _error(args, reason: str, message: str) -> int:
    if getattr(args, "json", False):
        _common()._print_json({"error": reason, "message": message})
    else:
        print(message, file=sys.stderr)
    return 2


# --------------------------------------------------------------------------- plan


def cmd_plan(args) -> int:
    cli = _common()
    cli._ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.counter.services import CounterError, parse_ratio, plan_for
    from shebao.rules.continuation import ContinuationError
    from shebao.rules.months import parse_month

    as_of = _as_of(args)
    if as_of is None:
        return 2
    try:
        restart = parse_month(args.restart) if args.restart else as_of + 1
        ratio = parse_ratio(args.base_ratio)
    except (ValueError, CounterError) as exc:
        return _error(args, "bad_argument", str(exc))
    user = acting_user()
    person, code = _one_person(args, user, json_out=args.json, purpose=args.purpose or "续保测算")
    if person is None:
        return code
    region = cli._policy(args)
    try:
        retirement, plan = plan_for(
            person,
            region,
            as_of=as_of,
            restart=restart,
            base_ratio=ratio,
            mode="employed" if args.employed else "flexible",
        )
    except (CounterError, ContinuationError) as exc:
        return _error(args, exc.reason, str(exc))
    data = {"person": _who(person), "retirement": retirement.to_dict(), **plan.to_dict()}
    if args.json:
        cli._print_json(data)
        return 0
    r = retirement.to_dict()
    print(
        f"{person.name}  退休年月 {r['retirement_month']}（{r['retirement_age']['years']} 岁 "
        f"{r['retirement_age']['months']} 个月）  最低缴费 {plan.minimum_months} 个月"
    )
    if plan.past_retirement_age:
        print(f"  已缴 {plan.paid_months} + 视同 {plan.deemed_months} = {plan.months_so_far} 个月")
        print(f"  {plan.conclusion}")
    else:
        print(
            f"  已缴 {plan.paid_months} + 视同 {plan.deemed_months} = {plan.months_so_far} 个月；"
            f"自 {data['restart']} 续保至 {data['retirement_month']} 共 {plan.planned_months} 个月"
        )
        print(
            f"  基数 {ratio:.0%}（{'单位+个人费率' if args.employed else '灵活就业 20%'}）：每月 "
            f"{data['monthly_cost'] or '—'} 元，合计 {data['total_cost']} 元"
        )
        print(f"  {plan.conclusion}")
    if plan.shortfall:
        for option in data["options"]:
            state = "可" if option["allowed"] else "本地区不允许"
            cost = f"，约 {option['cost']} 元" if option["allowed"] and option["cost"] else ""
            span = f"，{option['from']} 至 {option['to']}" if option["allowed"] and option["to"] else ""
            note = f"（{option['note']}）" if option["note"] else ""
            print(f"    {OPTION_LABELS.get(option['kind'], option['kind'])}：{state}{cost}{span}{note}")
    _print_explain(data["explain"], full=args.explain)
    return 0


OPTION_LABELS = {"pay_on": "延长缴费", "lump_sum": "一次性补缴", "residents_transfer": "转入城乡居民养老保险"}


def _who(person) -> dict:
    return {"id_number": person.id_number, "name": person.name}


# --------------------------------------------------------------------------- pension


def cmd_pension(args) -> int:
    cli = _common()
    cli._ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.counter.services import CounterError, pension_for
    from shebao.rules.pension import PensionError

    as_of = _as_of(args)
    if as_of is None:
        return 2
    user = acting_user()
    person, code = _one_person(args, user, json_out=args.json, purpose=args.purpose or "养老金测算")
    if person is None:
        return code
    try:
        retirement, estimate = pension_for(person, cli._policy(args), as_of)
    except (CounterError, PensionError) as exc:
        return _error(args, exc.reason, str(exc))
    data = {"person": _who(person), "retirement": retirement.to_dict(), **estimate.to_dict()}
    if args.json:
        cli._print_json(data)
        return 0
    print(f"{person.name}  退休年月 {data['retirement']['retirement_month']}  测算（非待遇核定）：")
    if not estimate.meets_minimum:
        print(f"  ！{estimate.warning}")
        print("  以下为补足最低缴费年限后的条件性测算，仅供参考：")
    print(
        f"  基础养老金 {data['basic_pension']} 元 + 个人账户养老金 {data['personal_account_pension']} 元"
        f" = {data['total']} 元/月" + ("（条件性）" if not estimate.meets_minimum else "")
    )
    print(
        f"  缴费月数 {data['contribution_months']}（最低 {estimate.minimum_months}），"
        f"平均缴费指数 {data['average_index']}，个人账户（估算）{data['account_balance']} 元"
    )
    explain = dict(data["explain"])
    explain["notes"] = [n for n in explain["notes"] if n != estimate.warning]
    _print_explain(explain, full=args.explain)
    return 0


# --------------------------------------------------------------------------- certificate


def cmd_certificate(args) -> int:
    cli = _common()
    cli._ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.certificates import CertificateDataError, FontUnavailable
    from shebao.counter.certificates import issue_certificate
    from shebao.people.services import PermissionDenied

    as_of = _as_of(args)
    if as_of is None:
        return 2
    user = acting_user()
    person, code = _one_person(args, user, json_out=False, purpose=args.purpose or "出具证明")
    if person is None:
        return code
    try:
        certificate, pdf = issue_certificate(user, person, args.kind, as_of, channel="cli")
    except PermissionDenied as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (FontUnavailable, CertificateDataError) as exc:
        print(f"shebao certificate: {exc}", file=sys.stderr)
        return 1
    Path(args.output).write_bytes(pdf)
    print(
        f"{args.output}: {certificate.get_kind_display()}  核验码 {certificate.code}"
        + ("  注意：有字符无法显示，须人工核对" if certificate.flagged else "")
    )
    return 0


# --------------------------------------------------------------------------- arrears


def cmd_arrears(args) -> int:
    cli = _common()
    cli._ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.counter import access, arrears

    as_of = _as_of(args)
    if as_of is None:
        return 2
    try:
        settle = dt.date.fromisoformat(args.settle) if args.settle else dt.date.today()
    except ValueError:
        return _error(args, "bad_argument", f"--settle：{args.settle!r} 不是日期（YYYY-MM-DD）")
    user = acting_user()
    employers = arrears.find_employers(args.employer)
    if len(employers) != 1:
        if not employers:
            return _error(args, "not_found", f"未找到单位：{args.employer}")
        names = "、".join(e.name for e in employers[:20])
        return _error(args, "several_employers", f"{len(employers)} 个单位匹配：{names}")
    employer = employers[0]
    if not access.can_view_employer_arrears(user, employer):
        print("您无权查看该单位的欠缴情况。", file=sys.stderr)
        return 1
    result = arrears.employer_arrears(
        user, employer, cli._policy(args), as_of=as_of, settle=settle, channel="cli"
    )
    if args.xlsx:
        Path(args.xlsx).write_bytes(arrears.arrears_workbook(result, user))
        print(
            f"{args.xlsx}: {employer.name} 欠缴 {result.report.total.months} 个月，合计 {result.report.total.total} 元"
        )
        return 0
    data = result.to_dict(user)
    if args.json:
        cli._print_json(data)
        return 0
    total = data["total"]
    print(f"{employer.name}  截至 {data['as_of']}  滞纳金计至 {data['settle']}")
    for p in data["persons"]:
        print(
            f"  {p['name']}  {p['id_number']}  {p['months']} 个月  本金 {p['amount']}  滞纳金 {p['late_fee']}"
            f"  合计 {p['total']}"
        )
    print(
        f"  合计 {total['months']} 个月  本金 {total['amount']}  滞纳金 {total['late_fee']}  合计 {total['total']}"
    )
    _print_explain(data["explain"], full=args.explain)
    return 0


# --------------------------------------------------------------------------- renewal queue


def cmd_renewal_rebuild(args) -> int:
    cli = _common()
    cli._ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.counter.renewals import rebuild_queue

    today = dt.date.fromisoformat(args.today) if args.today else None
    result = rebuild_queue(today=today, policy=cli._policy(args), actor=acting_user())
    if args.json:
        cli._print_json(result)
    else:
        from shebao.counter.models import RenewalEntry

        labels = dict(RenewalEntry.Reason.choices)
        counts = "，".join(f"{labels.get(k, k)} {v}" for k, v in result["by_reason"].items())
        print(
            f"续保提醒队列已更新（{result['today']}）：新增 {result['created']}，更新 {result['updated']}，"
            f"不再符合 {result['deactivated']}；{counts}"
        )
    return 0


def add_commands(sub) -> None:
    policy_help = "region policy TOML (default SHEBAO_POLICY or the built-in sample region)"

    p = sub.add_parser("plan", help="continuation plan (续保测算) for a person")
    p.add_argument("query", help="ID number or name")
    p.add_argument("--restart", help="first month to pay, YYYY-MM (default: the month after --as-of)")
    p.add_argument("--base-ratio", required=True, help="base level: 0.6–3.0 of the average wage (or 60%%)")
    p.add_argument(
        "--employed", action="store_true", help="employee and employer rates instead of 20%% flexible"
    )
    p.add_argument("--as-of", help="YYYY-MM; default the previous calendar month")
    p.add_argument("--purpose", help="why the record is consulted, kept in the audit log")
    p.add_argument("--json", action="store_true")
    p.add_argument("--explain", action="store_true", help="print the whole explanation (计算说明)")
    p.add_argument("--policy", help=policy_help)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("pension", help="pension estimate (养老金测算, 国发〔2005〕38号) for a person")
    p.add_argument("query", help="ID number or name")
    p.add_argument("--as-of", help="YYYY-MM; default the previous calendar month")
    p.add_argument("--purpose", help="why the record is consulted, kept in the audit log")
    p.add_argument("--json", action="store_true")
    p.add_argument("--explain", action="store_true", help="print the whole explanation (计算说明)")
    p.add_argument("--policy", help=policy_help)
    p.set_defaults(func=cmd_pension)

    p = sub.add_parser("certificate", help="issue a certificate (参保缴费证明 / 补办手册) as PDF")
    p.add_argument("query", help="ID number or name")
    p.add_argument("--kind", choices=["proof", "handbook"], default="proof")
    p.add_argument("--as-of", help="YYYY-MM; default the previous calendar month")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--purpose", help="why the record is consulted, kept in the audit log")
    p.add_argument("--policy", help=policy_help)
    p.set_defaults(func=cmd_certificate)

    p = sub.add_parser("arrears", help="an employer's arrears and late fees (欠缴与滞纳金)")
    p.add_argument("employer", help="employer name (or part of it), or its number")
    p.add_argument("--settle", help="settlement date YYYY-MM-DD for late fees (default today)")
    p.add_argument("--as-of", help="last month owed, YYYY-MM; default the previous calendar month")
    p.add_argument("--explain", action="store_true", help="print the whole explanation (计算说明)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--xlsx", metavar="FILE", help="write a 补缴缴费分解表-style workbook")
    p.add_argument("--policy", help=policy_help)
    p.set_defaults(func=cmd_arrears)

    p = sub.add_parser("renewal-queue", help="the renewal queue (续保提醒)")
    rq = p.add_subparsers(dest="renewal_command", required=True)
    r = rq.add_parser("rebuild", help="rebuild the queue now (idempotent; statuses are kept)")
    r.add_argument("--today", help="YYYY-MM-DD (default today)")
    r.add_argument("--json", action="store_true")
    r.add_argument("--policy", help=policy_help)
    r.set_defaults(func=cmd_renewal_rebuild)
