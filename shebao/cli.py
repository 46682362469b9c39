"""The `shebao` command.  Translates arguments into calls of services and selectors, and back."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shebao.settings")
    import django

    django.setup()


def _ensure_database(verbose: bool = False) -> None:
    """Create or migrate the database when needed, so any command works on a fresh one."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def _policy(args):
    from shebao.rules.policy import load_policy

    return load_policy(getattr(args, "policy", None) or os.environ.get("SHEBAO_POLICY") or None)


def _print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def cmd_init(args) -> int:
    _ensure_database(verbose=True)
    from django.conf import settings

    from shebao.accounts.services import admin_password_file, ensure_admin

    _, password = ensure_admin()
    print(f"database ready: {settings.DATABASES['default']['NAME']}")
    if password:
        print(f"administrator created: admin / {password}  (also in {admin_password_file()})")
    return 0


def cmd_import(args) -> int:
    _ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.contributions.imports import import_paths
    from shebao.ingest.mapping import load_mapping

    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
    except (OSError, ValueError) as exc:
        print(f"--mapping {args.mapping}: {exc}", file=sys.stderr)
        return 2
    show = sys.stderr.isatty() or os.environ.get("SHEBAO_PROGRESS") == "1"
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if show:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="file", file=sys.stderr, desc="导入")

    def progress(_display: str) -> None:
        if bar is not None:
            bar.update(1)

    report = import_paths(
        args.paths,
        user=acting_user(),
        dry_run=args.dry_run,
        mapping=mapping,
        progress=progress,
        on_start=on_start,
    )
    if bar is not None:
        bar.close()
    result = report.as_json()
    if args.dry_run:
        result["dry_run"] = True
    if args.json:
        _print_json(result)
    else:
        print(
            f"{'(dry run) ' if args.dry_run else ''}files {result['files']}, rows {result['rows']}, "
            f"accepted {result['accepted']}, skipped {result['skipped']}, rejected {len(result['rejected'])}, "
            f"unchanged {len(result['unchanged'])}, ignored {len(result['ignored'])}, persons {result['persons']}"
        )
        for r in result["rejected"]:
            where = ":".join(str(x) for x in (r["file"], r.get("sheet"), r.get("row")) if x not in (None, ""))
            print(f"  rejected {where}  {r['reason']}  {r.get('message', '')}")
        for w in result["warnings"]:
            where = ":".join(str(x) for x in (w["file"], w.get("sheet"), w.get("row")) if x not in (None, ""))
            print(f"  warning  {where}  {w['code']}  {w['message']}")
    return 0


def _as_of(args) -> int:
    from shebao.rules.months import parse_month, previous_month

    if args.as_of:
        return parse_month(args.as_of)
    return previous_month(dt.date.today())


def cmd_person(args) -> int:
    _ensure_database()
    from shebao.accounts import policy as access
    from shebao.accounts.services import acting_user
    from shebao.people import selectors, services

    user = acting_user()
    try:
        as_of = _as_of(args)
    except ValueError as exc:
        print(f"--as-of: {exc}", file=sys.stderr)
        return 2
    region = _policy(args)
    found = selectors.find_persons(args.query, base=access.persons_visible_to(user))
    services.record_search(user, args.query, len(found.persons), channel="cli")
    if not found.persons:
        if args.json:
            _print_json({"error": "not_found", "query": args.query})
        else:
            print(f"未找到：{args.query}", file=sys.stderr)
        return 1
    if len(found.persons) > 1:
        candidates = [selectors.candidate_json(p) for p in found.persons]
        if not access.can_see_full_id(user):  # lists are masked for roles without full values
            from shebao.privacy import mask_name
            from shebao.rules.idnumber import mask

            for c in candidates:
                c["id_number"], c["name"] = mask(c["id_number"]), mask_name(c["name"])
        if args.json:
            _print_json(candidates)
        else:
            print(f"{len(candidates)} 人匹配（{found.how}）：")
            for c in candidates:
                print(f"  {c['id_number']}  {c['name']}  {c['birth_date']}  {'、'.join(c['employers'])}")
        return 0
    person = services.open_person(user, found.persons[0], purpose=args.purpose or "", channel="cli")
    result = selectors.person_json(person, region.pooling_start, as_of)
    # How the query found this person: a same-sounding or once-written name may be someone else.
    result["matched_by"] = "id" if found.kind == "id" else (found.how or "exact")
    if args.json:
        _print_json(result)
    else:
        _print_person(result)
    return 0


_MATCH_NOTICES = {
    "homophone": "注意：没有姓名完全相同的人员；以下为同音姓名（拼音相同），请核对身份证号。",
    "variant": "注意：以下人员的档案中曾写作此姓名，请核对身份证号。",
}


def _print_person(p: dict) -> None:
    notice = _MATCH_NOTICES.get(p.get("matched_by", ""))
    if notice:
        print(notice)
    print(f"{p['name']}  {p['id_number']}  {'男' if p['sex'] == 'M' else '女'}  出生 {p['birth_date']}")
    if p["former_id_numbers"]:
        print(f"  原身份证号: {', '.join(p['former_id_numbers'])}")
    if p["name_variants"]:
        print(f"  曾用写法: {', '.join(p['name_variants'])}")
    print(f"  用工性质: {p['category'] or '—'}  参加工作: {p['work_start'] or '—'}  截至 {p['as_of']}")
    print(
        f"  实缴月数 {p['contribution_months']['pension']}  视同缴费月数 {p['deemed_months']}  "
        f"首次缴费 {p['first_paid'] or '—'}  末次缴费 {p['last_paid'] or '—'}  中断自 {p['interrupted_since'] or '—'}"
    )
    for g in p["gaps"]:
        print(f"  断缴 {g['from']} — {g['to']}  {g['months']} 个月")
    for employer, months in p["arrears_months"].items():
        print(f"  欠缴 {employer}: {months} 个月")
    for c in p["conflicts"]:
        print(f"  冲突 {c['field']}: {' / '.join(c['values'])}")
    for period in p["periods"]:
        who = period["employer"] or ("灵活就业" if period["flexible"] else "单位不详")
        print(
            f"  {period['from']} — {period['to']}  {period['months']:>3} 月  {who}  基数 {period['base'] or '—'}  "
            f"[{', '.join(period['sources'])}]"
        )


def cmd_retirement(args) -> int:
    from shebao.rules.months import parse_month
    from shebao.rules.retirement import RetirementError, statutory_retirement

    try:
        birth = parse_month(args.birth)
    except ValueError as exc:
        print(f"--birth: {exc}", file=sys.stderr)
        return 2
    try:
        result = statutory_retirement(birth, args.sex, args.category)
    except RetirementError as exc:
        hint = "--category worker|cadre: " if exc.reason == "category_required" else ""
        print(f"shebao retirement: {hint}{exc}", file=sys.stderr)
        return 2
    data = result.to_dict()
    if args.json:
        _print_json(data)
        return 0
    age = data["retirement_age"]
    window = data.get("flexible_window") or {}
    print(
        f"法定退休年龄 {age['years']} 岁 {age['months']} 个月，退休年月 {data['retirement_month']}"
        f"（原退休年月 {data['original_retirement_month']}，延迟 {data['delay_months']} 个月）"
    )
    print(f"最低缴费年限 {data['minimum_contribution_months']} 个月")
    if window:
        print(
            f"弹性退休：最早 {window['earliest']}（须满足最低缴费年限），最晚 {window['latest']}（须单位同意）"
        )
    return 0


def cmd_serve(args) -> int:
    _ensure_database()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from waitress import serve

    from shebao.wsgi import application

    print(f"shebao serving on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    serve(application, host=args.host, port=args.port, threads=8, ident="shebao")
    return 0


def cmd_worker(args) -> int:
    """The background-job consumer (huey, SQLite queue): runs the daily renewal-queue rebuild."""
    _ensure_database()
    from django.core.management import call_command

    print("shebao worker: running background jobs (Ctrl-C to stop)", flush=True)
    call_command("run_huey")
    return 0


def cmd_demo_data(args) -> int:
    from shebao.demo.generator import generate_bundle

    out = Path(args.out)
    truth = generate_bundle(out, persons=args.persons, seed=args.seed)
    print(
        f"demo bundle: {out} ({len(truth['persons'])} persons, {len(truth['rejected_rows'])} rows to reject)"
    )
    return 0


def cmd_audit(args) -> int:
    _ensure_database()
    from shebao.audit.services import verify

    result = verify()
    if result.ok:
        print(f"audit log intact: {result.entries} entries")
        return 0
    print(f"AUDIT LOG DAMAGED: {result.problem}", file=sys.stderr)
    return 1


def cmd_backup(args) -> int:
    _ensure_database()
    from shebao.accounts.services import acting_user
    from shebao.audit import services as audit
    from shebao.ops import backup

    if args.verify:
        result = backup.verify(Path(args.verify))
        if result.ok:
            print(f"backup ok: {args.verify}")
            return 0
        print(f"BACKUP NOT USABLE: {result.problem}", file=sys.stderr)
        return 1
    user = acting_user()
    from shebao.accounts import policy as access
    from shebao.accounts.models import Role

    if not access.has_role(user, {Role.ADMIN}):  # a backup is a copy of every record
        audit.record(user, "backup.create", outcome="denied")
        print("only an administrator may write a backup", file=sys.stderr)
        return 1
    destination = Path(args.file) if args.file else backup.default_backup_path()
    manifest = backup.backup(destination)
    audit.record(user, "backup.create", detail={"file": destination.name, "sha256": manifest["sha256"]})
    print(f"backup written: {destination} ({manifest['size']:,} bytes, sha256 {manifest['sha256'][:16]}…)")
    return 0


def cmd_restore(args) -> int:
    _ensure_database()
    from shebao.accounts import policy as access
    from shebao.accounts.models import Role
    from shebao.accounts.services import acting_user
    from shebao.audit import services as audit
    from shebao.ops import backup

    user = acting_user()
    if not access.has_role(user, {Role.ADMIN}):
        print("only an administrator may restore a backup", file=sys.stderr)
        return 1
    try:
        backup.restore(Path(args.file))
    except backup.BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    audit.record(acting_user(), "backup.restore", detail={"file": Path(args.file).name})
    print(f"restored from {args.file}")
    return 0


def cmd_policy_check(args) -> int:
    from shebao.rules.policy import PolicyError, load_policy

    try:
        policy = load_policy(args.file)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    problems = []
    try:
        from shebao.rules.policy import validate_policy

        problems = validate_policy(policy.raw)
    except ImportError:
        pass
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"policy ok: {policy.code} {policy.name}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shebao", description="社保档案与缴费记录系统 (shebao)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create or migrate the database and the administrator account")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", help="import legacy files and folders (recursive, idempotent)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
    p.add_argument("--mapping", help="TOML column-mapping file for layouts shebao does not know")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("person", help="look a person up by ID number or name")
    p.add_argument("query")
    p.add_argument("--json", action="store_true")
    p.add_argument("--as-of", help="YYYY-MM; default the previous calendar month")
    p.add_argument("--purpose", help="why the record is consulted (查阅目的), kept in the audit log")
    p.add_argument(
        "--policy", help="region policy TOML (default SHEBAO_POLICY or the built-in sample region)"
    )
    p.set_defaults(func=cmd_person)

    p = sub.add_parser("retirement", help="statutory retirement age and month under the 2025 reform")
    p.add_argument("--birth", required=True, help="birth month YYYY-MM")
    p.add_argument("--sex", required=True, choices=["M", "F"])
    p.add_argument(
        "--category", choices=["worker", "cadre"], help="required for --sex F: 工人 worker / 干部 cadre"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_retirement)

    p = sub.add_parser("serve", help="serve the web UI")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background jobs (the daily renewal-queue rebuild)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo-data", help="write a synthetic bundle of legacy records with its truth.json")
    p.add_argument("--persons", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("audit", help="audit log tools")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    v = audit_sub.add_parser("verify", help="check the hash chain of the audit log")
    v.set_defaults(func=cmd_audit)

    p = sub.add_parser("backup", help="online, consistent backup of the database (or --verify FILE)")
    p.add_argument("file", nargs="?", help="where to write it (default var/backups/shebao-DATE.*)")
    p.add_argument("--verify", metavar="FILE", help="check a backup against its manifest instead")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a verified backup (administrator only)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("policy", help="region policy tools")
    policy_sub = p.add_subparsers(dest="policy_command", required=True)
    c = policy_sub.add_parser("check", help="validate a region policy file")
    c.add_argument("file")
    c.set_defaults(func=cmd_policy_check)

    from shebao.counter.cli import add_commands as add_counter_commands  # plan, pension, certificate, …

    add_counter_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.func not in (cmd_demo_data, cmd_policy_check, cmd_retirement):
        _setup_django()
    try:
        code = args.func(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`shebao person … | head`): stop quietly; point stdout at devnull
        # so that the interpreter's final flush does not fail again (Python docs, SIGPIPE note)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
