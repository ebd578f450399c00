"""Table rows of a synthetic document for the two profiles, as plain dicts (one per YAML row).

A value is an int in base units (formatted later), a str, or absent (a blank cell).
"""

from __future__ import annotations

from collections.abc import Callable

from budget import Budget, Line, parents
from catalog import ECONOMIC, FUNCTIONAL, all_lei, chinese_number

Rows = list[dict]


def functional_rows(lines: dict[str, Line], cells: Callable[[Line], dict[str, int]],
                    zeros: bool, only: Callable[[Line], bool] = lambda line: True) -> Rows:
    """类/款/项 rows with parents summed from their 项; blanks for zero unless `zeros`."""
    chosen = {c: line for c, line in lines.items() if only(line)}
    rows = []
    for code in parents(list(chosen)):
        sums: dict[str, int] = {}
        for leaf, line in chosen.items():
            if leaf == code or leaf.startswith(code + " "):
                for key, value in cells(line).items():
                    sums[key] = sums.get(key, 0) + value
        rows.append({"code": code, "name": FUNCTIONAL[code], **_keep(sums, zeros)})
    return rows


def total_row(name: str, rows: Rows, keys: list[str], zeros: bool) -> dict:
    """The total of the 类 rows (level 1) of a functional or economic table."""
    sums = {k: sum(r.get(k, 0) for r in rows if "code" in r and len(r["code"].split()) == 1) for k in keys}
    return {"name": name, **_keep(sums, zeros)}


def _keep(values: dict[str, int], zeros: bool) -> dict[str, int]:
    return {k: v for k, v in values.items() if v or zeros}


def economic_rows(b: Budget, zeros: bool) -> Rows:
    rows = []
    for code in parents(list(b.economic)):
        sums = [0, 0]
        for leaf, (personnel, public) in b.economic.items():
            if leaf == code or leaf.startswith(code + " "):
                sums[0] += personnel
                sums[1] += public
        cells = {"合计": sums[0] + sums[1], "人员经费": sums[0], "公用经费": sums[1]}
        rows.append({"code": code, "name": ECONOMIC[code], **_keep(cells, zeros)})
    return rows


# ---------------------------------------------------------------- xinjiang-11 (万元)

def xinjiang_tables(b: Budget, publisher: str) -> dict[str, dict]:
    """The eleven tables of the reference document."""
    t2 = functional_rows(b.lines, lambda ln: {
        "总计": ln.total, "财政拨款小计": ln.basic + ln.project, "一般公共预算": ln.basic + ln.project,
        "单位资金": ln.own, "非财政拨款结转结余": ln.carry}, False)
    t3 = functional_rows(b.lines, lambda ln: {
        "合计": ln.total, "基本支出": ln.basic, "项目支出": ln.project + ln.own + ln.carry}, False)
    t5 = functional_rows(b.lines, lambda ln: {
        "合计": ln.basic + ln.project, "基本支出": ln.basic, "项目支出": ln.project}, False,
        only=lambda ln: ln.basic + ln.project > 0)
    t6 = economic_rows(b, False)
    empty_note = "{}{}年没有使用{}安排的支出，{}为空表。"
    return {
        "表1": _xj_table1(b, t3),
        "表2": {"rows": [total_row("总计", t2, ["总计", "财政拨款小计", "一般公共预算", "单位资金",
                                               "非财政拨款结转结余"], False)] + t2},
        "表3": {"rows": [total_row("总计", t3, ["合计", "基本支出", "项目支出"], False)] + t3},
        "表4": _xj_table4(b, t5),
        "表5": {"rows": [total_row("总计", t5, ["合计", "基本支出", "项目支出"], False)] + t5},
        "表6": {"rows": [total_row("总计", t6, ["合计", "人员经费", "公用经费"], False)] + t6},
        "表7": {"rows": _xj_table7(b)},
        "表8": {"note": empty_note.format(publisher, b.year, "政府性基金预算拨款", "政府性基金预算支出情况表"),
                "rows": []},
        "表9": {"note": empty_note.format(publisher, b.year, "国有资本经营预算拨款", "国有资本经营预算支出情况表"),
                "rows": []},
        "表10": _xj_table10(b, publisher),
        "表11": _xj_table11(b, publisher),
    }


def _by_lei(rows: Rows, key: str) -> dict[str, int]:
    return {r["code"]: r.get(key, 0) for r in rows if len(r["code"].split()) == 1}


def _xj_table1(b: Budget, t3: Rows) -> dict:
    gp, own, carry = b.gp, b.own, b.carry
    income = [
        {"name": "一、本年收入", "预算数": gp + own}, {"name": "1、一般公共预算拨款", "预算数": gp, "level": 2},
        {"name": "其中：一般财力", "预算数": gp, "level": 3},
        {"name": "上级一般公共预算安排转移支付", "level": 3}, {"name": "2、基金预算拨款", "level": 2},
        {"name": "3、国有资本经营预算拨款", "level": 2}, {"name": "4.财政专户核拨", "level": 2},
        {"name": "5.单位资金", "预算数": own, "level": 2}, {"name": "二、上年结转结余", "预算数": carry},
        {"name": "1、财政拨款结转", "level": 2}, {"name": "2、非财政拨款结转结余", "预算数": carry, "level": 2},
        {"name": "收 入 总 计", "预算数": b.total},
    ]
    amounts = _by_lei(t3, "合计")
    spend = [{"code": c, "name": n, "预算数": amounts[c]} if c in amounts else {"code": c, "name": n}
             for c, n in all_lei()]
    spend.append({"name": "支 出 总 计", "预算数": b.total})
    return {"income": [_drop_zero(r) for r in income], "expenditure": spend}


def _drop_zero(row: dict) -> dict:
    return {k: v for k, v in row.items() if not (isinstance(v, int) and v == 0 and k != "level")}


def _xj_table4(b: Budget, t5: Rows) -> dict:
    gp = b.gp
    income = [{"name": "一、财政拨款（补助）", "合计": gp}, {"name": "一般公共预算", "合计": gp, "level": 2},
              {"name": "政府性基金预算", "level": 2}, {"name": "国有资本经营预算", "level": 2},
              {"name": "收入总计", "合计": gp}]
    amounts = _by_lei(t5, "合计")
    spend = [{"code": c, "name": n, "合计": amounts[c], "一般公共预算": amounts[c]}
             if c in amounts else {"code": c, "name": n} for c, n in all_lei()]
    spend.append({"name": "支出总计", "合计": gp, "一般公共预算": gp})
    return {"income": income, "expenditure": spend}


def _xj_table7(b: Budget) -> Rows:
    rows = []
    for code in parents([p.code for p in b.projects]):
        mine = [p for p in b.projects if p.code == code or p.code.startswith(code + " ")]
        if len(code.split()) < 3:
            rows.append({"code": code, "name": FUNCTIONAL[code], **_project_cells(mine)})
            continue
        for p in mine:
            rows.append({"code": code, "name": FUNCTIONAL[code], "项目名称": p.name, **_project_cells([p])})
    total = {"name": "总计", **_project_cells(b.projects)}
    return [total] + rows if b.projects else []


def _project_cells(projects: list) -> dict[str, int]:
    cells = {"项目支出合计": sum(p.amount for p in projects),
             "商品服务支出": sum(p.goods_services for p in projects),
             "资本性支出": sum(p.capital for p in projects)}
    return _keep(cells, False)


def _xj_table10(b: Budget, publisher: str) -> dict:
    t = b.three_public
    if not any(t.values()):
        return {"note": f"{publisher}{b.year}年无财政拨款“三公”经费预算，本表为空表。", "rows": []}
    vehicles = t["purchase"] + t["operation"]
    items = [("合计", sum(t.values())), ("因公出国（境）费", t["outbound"]), ("公务接待费", t["reception"]),
             ("公务用车购置及运行费（小计）", vehicles), ("其中：公务用车购置费", t["purchase"]),
             ("公务用车运行费", t["operation"])]
    levels = [0, 1, 1, 1, 2, 2]  # 购置费 and 运行费 are parts of the 小计 row
    return {"rows": [{"name": n, "level": lv, **({"合计": v, "一般公共预算": v} if v else {})}
                     for (n, v), lv in zip(items, levels, strict=True)]}


def _xj_table11(b: Budget, publisher: str) -> dict:
    if not b.carry_items:
        return {"note": f"{publisher}{b.year}年无上年结转结余，上年结转结余情况明细表为空表。", "rows": []}
    total = sum(a for _, _, a in b.carry_items)
    cells = lambda v: {"总计": v, "非财政拨款合计": v, "非财政拨款项目支出": v}  # noqa: E731
    rows = [{"name": "总计", **cells(total)}, {"name": publisher, "level": 1, **cells(total)}]
    rows += [{"name": name, "level": 2, **cells(amount)} for name, _, amount in b.carry_items]
    return {"rows": rows}


# ---------------------------------------------------------------- shanghai-district-9 (元)

def shanghai_tables(b: Budget, wan: Callable[[int], int]) -> dict[str, dict]:
    """The nine tables of the Shanghai sub-district budget; 表9 in 万元 via `wan`."""
    t2 = functional_rows(b.lines, lambda ln: {
        "合计": ln.total, "财政拨款收入": ln.basic + ln.project, "事业收入": 0, "事业单位经营收入": 0,
        "其他收入": ln.own}, True)
    t3 = functional_rows(b.lines, lambda ln: {"合计": ln.total, "基本支出": ln.basic,
                                             "项目支出": ln.project + ln.own}, True)
    t5 = functional_rows(b.lines, lambda ln: {"合计": ln.basic + ln.project, "基本支出": ln.basic,
                                             "项目支出": ln.project}, True, only=lambda ln: ln.basic + ln.project > 0)
    t8 = economic_rows(b, True)
    note = "注:本部门{}年无{}财政拨款安排的预算，故本表为空表。"
    return {
        "表1": _sh_table1(b, t3),
        "表2": {"rows": t2 + [total_row("合计", t2, ["合计", "财政拨款收入", "事业收入", "事业单位经营收入",
                                                   "其他收入"], True)]},
        "表3": {"rows": t3 + [total_row("合计", t3, ["合计", "基本支出", "项目支出"], True)]},
        "表4": _sh_table4(b, t5),
        "表5": {"rows": t5 + [total_row("合计", t5, ["合计", "基本支出", "项目支出"], True)]},
        "表6": {"note": note.format(b.year, "政府性基金预算"), "rows": []},
        "表7": {"note": note.format(b.year, "国有资本经营预算"), "rows": []},
        "表8": {"rows": t8 + [total_row("合计", t8, ["合计", "人员经费", "公用经费"], True)]},
        "表9": {"rows": [_sh_table9(b, wan)]},
    }


def _sh_table1(b: Budget, t3: Rows) -> dict:
    income = [{"name": "一、财政拨款收入", "预算数": b.gp}, {"name": "1. 一般公共预算资金", "预算数": b.gp, "level": 2},
              {"name": "2. 政府性基金", "level": 2}, {"name": "3. 国有资本经营预算", "level": 2},
              {"name": "二、事业收入"}, {"name": "三、事业单位经营收入"}, {"name": "四、其他收入", "预算数": b.own},
              {"name": "收入总计", "预算数": b.total}]
    amounts = _by_lei(t3, "合计")
    names = dict(all_lei())
    spend = [{"name": f"{chinese_number(i + 1)}、{names[c]}", "预算数": v} for i, (c, v) in enumerate(amounts.items())]
    spend.append({"name": "支出总计", "预算数": b.total})
    return {"income": [_drop_zero(r) for r in income], "expenditure": spend}


def _sh_table4(b: Budget, t5: Rows) -> dict:
    income = [{"name": "一、一般公共预算资金", "预算数": b.gp}, {"name": "二、政府性基金"},
              {"name": "三、国有资本经营预算"}, {"name": "收入总计", "预算数": b.gp}]
    names = dict(all_lei())
    spend = [{"name": f"{chinese_number(i + 1)}、{names[c]}", "合计": v, "一般公共预算": v}
             for i, (c, v) in enumerate(_by_lei(t5, "合计").items())]
    spend.append({"name": "支出总计", "合计": b.gp, "一般公共预算": b.gp})
    return {"income": income, "expenditure": spend}


def _sh_table9(b: Budget, wan: Callable[[int], int]) -> dict:
    t = b.three_public
    vehicles = t["purchase"] + t["operation"]
    return {"合计": wan(sum(t.values())), "因公出国(境)费": wan(t["outbound"]), "公务接待费": wan(t["reception"]),
            "小计": wan(vehicles), "购置费": wan(t["purchase"]), "运行费": wan(t["operation"]),
            "机关运行经费预算数": wan(b.public)}
