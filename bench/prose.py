"""Prose sections, facts and performance tables built from the figures, as the documents word them."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from budget import Budget
from catalog import ECONOMIC, FUNCTIONAL, REASONS_DOWN, REASONS_UP, chinese_number

CENT = Decimal("0.01")


class Money:
    """Formats base units: `wan` in 万元 (two decimals), `cell` as the tables publish them."""

    def __init__(self, per_wan: int):
        self.per_wan = per_wan

    def wan_decimal(self, units: int) -> Decimal:
        return (Decimal(units) / self.per_wan).quantize(CENT, ROUND_HALF_UP)

    def wan(self, units: int) -> str:
        return str(self.wan_decimal(units))

    def cell(self, units: int) -> str:
        if self.per_wan == 100:
            return f"{units // 100}.{units % 100:02d}" if units >= 0 else "-" + self.cell(-units)
        return str(units)


def pct(m: Money, part: int, whole: int) -> str:
    """A share or rate from the figures as published (万元, two decimals), as readers recompute it."""
    p, w = m.wan_decimal(part), m.wan_decimal(whole)
    return str((p * 100 / w).quantize(CENT, ROUND_HALF_UP)) if w else "0.00"


def change(m: Money, rng: random.Random, now: int, before: int, basis: str = "上年预算") -> str:
    """"比上年预算增加13.83万元，增长4.94%，主要原因是…" (no rate when last year was 0)."""
    diff = m.wan_decimal(now) - m.wan_decimal(before)
    word, rate_word, reasons = ("增加", "增长", REASONS_UP) if diff >= 0 else ("减少", "下降", REASONS_DOWN)
    if before == 0:
        return f"比{basis}{word}{abs(diff)}万元，主要原因是{rng.choice(REASONS_UP)}"
    rate = (abs(diff) * 100 / m.wan_decimal(before)).quantize(CENT, ROUND_HALF_UP)
    return f"比{basis}{word}{abs(diff)}万元，{rate_word}{rate}%，主要原因是{rng.choice(reasons)}"


def _sources(b: Budget) -> list[str]:
    return [n for n, v in (("一般公共预算", b.gp), ("单位资金", b.own), ("非财政拨款结转结余", b.carry)) if v]


def xinjiang_sections(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> list[dict]:
    """The twelve numbered sections of 第三部分 情况说明, worded like the reference."""
    y = b.year
    about = f"关于{pub}{y}年"
    lei = "、".join(FUNCTIONAL[c] for c in _lei_amounts(b))
    s = [(f"一、{about}收支预算情况总体说明",
          f"按照全口径预算的原则，{pub}{y}年所有收入和支出均纳入部门预算管理。收支总预算{m.wan(b.total)}万元。"
          f"\n\n收入预算包括：{'、'.join(_sources(b))}。\n\n支出预算包括：{lei}。"),
         (f"二、{about}收入预算情况说明", _income(b, last, pub, m, rng)),
         (f"三、{about}支出预算情况说明", _spending(b, last, pub, m, rng)),
         (f"四、{about}财政拨款收支预算情况的总体说明",
          f"{pub}{y}年财政拨款收支总预算{m.wan(b.gp)}万元。\n\n收入全部为一般公共预算拨款，"
          f"无政府性基金预算拨款和国有资本经营预算。\n\n收入预算包括：一般公共预算拨款{m.wan(b.gp)}万元。"
          f"\n\n一般公共预算支出包括：{_by_lei_text(b, m)}。"),
         (f"五、{about}一般公共预算当年拨款情况说明", _appropriation(b, last, pub, m, rng)),
         (f"六、{about}一般公共预算基本支出情况说明", _basic(b, pub, m)),
         (f"七、{about}一般公共预算项目支出情况说明", _projects_text(b, pub, m)),
         (f"八、{about}政府性基金预算拨款情况说明",
          f"{pub}{y}年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。"),
         (f"九、{about}国有资本经营预算拨款情况说明",
          f"{pub}{y}年没有使用国有资本经营预算拨款安排的支出，国有资本经营预算支出情况表为空表。"),
         (f"十、{about}财政拨款“三公”经费预算情况说明", _three_public(b, last, pub, m, rng)),
         (f"十一、{about}上年结转结余预算情况说明", _carry(b, pub, m)),
         ("十二、其他重要事项的情况说明", _other(b, last, pub, m, rng))]
    return [{"part": "情况说明", "title": t, "body": body} for t, body in s]


def _income(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> str:
    parts = [f"{pub}部门收入预算{m.wan(b.total)}万元，其中："]
    for label, now, before in (("一般公共预算", b.gp, last.gp), ("单位资金", b.own, last.own),
                               ("非财政拨款结转结余", b.carry, last.carry)):
        if now or before:
            parts.append(f"{label}{m.wan(now)}万元，占{pct(m, now, b.total)}%，{change(m, rng, now, before)}。")
    return "\n\n".join(parts)


def _spending(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> str:
    proj, last_proj = b.total - b.basic, last.total - last.basic
    return (f"{pub}{b.year}年支出预算{m.wan(b.total)}万元，其中：\n\n"
            f"基本支出{m.wan(b.basic)}万元，占{pct(m, b.basic, b.total)}%，{change(m, rng, b.basic, last.basic)}。\n\n"
            f"项目支出{m.wan(proj)}万元，占{pct(m, proj, b.total)}%，{change(m, rng, proj, last_proj)}。")


def _lei_amounts(b: Budget) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, line in b.lines.items():
        out[code[:3]] = out.get(code[:3], 0) + line.basic + line.project
    return {k: v for k, v in sorted(out.items()) if v}


def _by_lei_text(b: Budget, m: Money) -> str:
    return "；".join(f"{FUNCTIONAL[c]}{m.wan(v)}万元" for c, v in _lei_amounts(b).items())


def _path(code: str) -> str:
    seg = code.split()
    return f"{FUNCTIONAL[seg[0]]}（类）{FUNCTIONAL[' '.join(seg[:2])]}（款）{FUNCTIONAL[code]}（项）"


def _line_changes(b: Budget, last: Budget) -> list[tuple[str, int, int]]:
    """(项 code, this year's 一般公共预算, last year's) for every funded line."""
    out = []
    for code, line in b.lines.items():
        now = line.basic + line.project
        if now:
            old = last.lines.get(code)
            out.append((code, now, old.basic + old.project if old else 0))
    return out


def _appropriation(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> str:
    proj, last_proj = b.gp - b.basic, last.gp - last.basic
    out = ["**（一）一般公共预算当年拨款规模变化情况**",
           f"{pub}{b.year}年一般公共预算拨款合计{m.wan(b.gp)}万元，其中：",
           f"基本支出{m.wan(b.basic)}万元，{change(m, rng, b.basic, last.basic)}。",
           f"项目支出{m.wan(proj)}万元，{change(m, rng, proj, last_proj)}。",
           "**（二）一般公共预算当年拨款结构情况**"]
    out += [f"{i}、{FUNCTIONAL[c]}（类）{m.wan(v)}万元，占{pct(m, v, b.gp)}%。"
            for i, (c, v) in enumerate(_lei_amounts(b).items(), 1)]
    out.append("**（三）一般公共预算当年拨款具体使用情况**")
    out += [f"{i}、{_path(code)}：{b.year}年预算数为{m.wan(now)}万元，{change(m, rng, now, before)}。"
            for i, (code, now, before) in enumerate(_line_changes(b, last), 1)]
    return "\n\n".join(out)


def _basic(b: Budget, pub: str, m: Money) -> str:
    personnel = sum(p for p, _ in b.economic.values())
    names = lambda pick: "、".join(ECONOMIC[c] for c, v in b.economic.items() if pick(v))  # noqa: E731
    return (f"{pub}{b.year}年一般公共预算基本支出{m.wan(b.basic)}万元，其中：\n\n"
            f"人员经费{m.wan(personnel)}万元，主要包括：{names(lambda v: v[0])}。\n\n"
            f"公用经费{m.wan(b.public)}万元，主要包括：{names(lambda v: v[1])}。")


def _projects_text(b: Budget, pub: str, m: Money) -> str:
    if not b.projects:
        return f"{pub}{b.year}年没有一般公共预算项目支出。"
    return "\n\n".join(
        f"**（{chinese_number(i)}）项目名称：{p.name}**\n\n"
        f"设立的政策依据：《{pub}职能配置、内设机构和人员编制规定》\n\n"
        f"预算安排规模：{m.wan(p.amount)}万元\n\n项目承担单位：{pub}\n\n"
        f"资金执行时间：{b.year}年1月1日-{b.year}年12月31日" for i, p in enumerate(b.projects, 1))


def _three_public(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> str:
    t, lt = b.three_public, last.three_public
    total, last_total = sum(t.values()), sum(lt.values())
    return (f"{pub}{b.year}年财政拨款“三公”经费预算数为{m.wan(total)}万元，其中：因公出国（境）费"
            f"{m.wan(t['outbound'])}万元，公务用车购置费{m.wan(t['purchase'])}万元，公务用车运行费"
            f"{m.wan(t['operation'])}万元，公务接待费{m.wan(t['reception'])}万元。\n\n"
            f"{b.year}年财政拨款“三公”经费预算{change(m, rng, total, last_total)}。")


def _carry(b: Budget, pub: str, m: Money) -> str:
    total = sum(a for _, _, a in b.carry_items)
    items = "\n\n".join(f"{i}．{name}{m.wan(a)}万元，主要用于保障其他支出。"
                         for i, (name, _, a) in enumerate(b.carry_items, 1))
    return (f"{pub}{b.year}年上年结转结余{m.wan(total)}万元，包括：财政拨款0.00万元，"
            f"非财政拨款{m.wan(total)}万元" + (f"，其中：\n\n{items}" if items else "。"))


def _procurement(b: Budget, pub: str, m: Money) -> str:
    p = facts(b, b, m)["procurement"]
    return (f"{b.year}年，{pub}政府采购预算{p['total']}万元，其中：政府采购货物预算{p['goods']}万元，"
            f"政府采购工程预算{p['works']}万元，政府采购服务预算{p['services']}万元。\n\n"
            f"{b.year}年，{pub}面向中小企业预留政府采购项目预算金额{p['sme_reserved']}万元，"
            f"小微企业预留政府采购项目预算金额{p['small_micro_reserved']}万元。")


def _assets(b: Budget, pub: str) -> str:
    return (f"截至{b.year - 1}年底，{pub}占用使用国有资产总体情况为\n\n1.车辆{b.vehicles}辆。\n\n"
            f"单位价值50万元以上大型设备0台，单位价值100万元以上大型设备0台。\n\n"
            f"{b.year}年部门预算未安排购置车辆经费，安排购置50万元以上大型设备0台。")


def _other(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> str:
    return (f"**(一)单位运行经费情况**\n\n{pub}{b.year}年的机关运行经费财政拨款预算{m.wan(b.public)}万元，"
            f"{change(m, rng, b.public, last.public)}。\n\n**(二)政府采购情况**\n\n{_procurement(b, pub, m)}"
            f"\n\n**(三)国有资产占用使用情况**\n\n{_assets(b, pub)}\n\n**(四)预算绩效情况**\n\n"
            f"{b.year}年，本部门预算绩效管理整体预算绩效目标1个，涉及金额{m.wan(b.total)}万元；"
            f"当年财政拨款项目{len(b.projects)}个，涉及预算金额{m.wan(sum(p.amount for p in b.projects))}万元；"
            f"当年非财政拨款项目0个，涉及预算金额0万元。具体情况见下表（按项目分别填报）：")


def shanghai_sections(b: Budget, last: Budget, pub: str, m: Money, rng: random.Random) -> list[dict]:
    """编制说明 and 其他相关情况说明, worded like the Shanghai sub-district budget."""
    y, p = b.year, b.year - 1
    items = [f"{i}. “{_path(code)}”{m.wan(now)}万元，主要用于{FUNCTIONAL[code]}。{p}年当年预算执行数为"
             f"{m.wan(before)}万元，{y}年预算安排{m.wan(now)}万元，{_executed(m, now, before, p)}。"
             "主要原因是：项目调整。"
             for i, (code, now, before) in enumerate(_line_changes(b, last), 1) if before]
    plan = (f"{y}年，{pub}收入预算{m.wan(b.total)}万元，其中：财政拨款收入{m.wan(b.gp)}万元，"
            f"{_plain(m, b.gp, last.gp, p)}；事业收入0.00万元；事业单位经营收入0.00万元；"
            f"其他收入{m.wan(b.own)}万元。"
            f"\n\n支出预算{m.wan(b.total)}万元，其中：财政拨款支出预算{m.wan(b.gp)}万元，"
            f"{_plain(m, b.gp, last.gp, p)}。"
            f"财政拨款支出预算中，一般公共预算拨款支出预算{m.wan(b.gp)}万元，{_plain(m, b.gp, last.gp, p)}；"
            f"政府性基金拨款支出预算0.00万元，比{p}年预算持平；国有资本经营预算拨款支出预算0.00万元，比{p}年预算持平。"
            f"\n\n财政拨款收入支出{'增加' if b.gp >= last.gp else '减少'}的主要原因是项目调整。"
            "\n\n财政拨款支出主要内容如下：\n\n" + "\n\n".join(items))
    t = b.three_public
    sections = [
        ("编制说明", f"{y}年部门预算编制说明", plan),
        ("其他相关情况说明", f"一、{y}年“三公”经费预算情况说明",
         f"{y}年“三公”经费预算数为{m.wan(sum(t.values()))}万元，其中：\n\n（一）因公出国（境）费{m.wan(t['outbound'])}万元。"
         f"\n\n（二）公务用车购置及运行费{m.wan(t['purchase'] + t['operation'])}万元，其中：公务用车购置费"
         f"{m.wan(t['purchase'])}万元；公务用车运行费{m.wan(t['operation'])}万元。\n\n（三）公务接待费{m.wan(t['reception'])}万元。"),
        ("其他相关情况说明", "二、机关运行经费预算",
         f"{y}年{pub}（部门）下属1家机关财政拨款的机关运行经费预算为{m.wan(b.public)}万元。"),
        ("其他相关情况说明", "三、政府采购预算情况", _procurement(b, pub, m).replace(f"{y}年，{pub}", f"{y}年本部门")),
        ("其他相关情况说明", "四、绩效目标设置情况",
         f"按照本区预算绩效管理工作的总体要求，本部门1个预算单位开展了{y}年项目预算绩效目标编报工作，"
         f"编报绩效目标的项目{len(b.projects)}个，涉及项目预算资金{m.wan(sum(x.amount for x in b.projects))}万元。"),
        ("其他相关情况说明", "五、国有资产占有使用情况", _assets(b, pub)),
    ]
    return [{"part": part, "title": title, "body": body} for part, title, body in sections]


def _plain(m: Money, now: int, before: int, year: int) -> str:
    diff = m.wan_decimal(now) - m.wan_decimal(before)
    return f"比{year}年预算{'持平' if not diff else ('增加' if diff > 0 else '减少') + str(abs(diff)) + '万元'}"


def _executed(m: Money, now: int, before: int, year: int) -> str:
    diff = m.wan_decimal(now) - m.wan_decimal(before)
    if not diff:
        return f"比{year}年预算执行数持平"
    rate = (abs(diff) * 100 / m.wan_decimal(before)).quantize(CENT, ROUND_HALF_UP)
    return f"比{year}年预算执行数{'增加' if diff > 0 else '减少'}{rate}%"


def facts(b: Budget, last: Budget, m: Money, pub: str = "") -> dict:
    """`facts:` of the document: the figures its prose states."""
    t = b.three_public
    goods = b.economic.get("302 01", (0, 0))[1] + sum(p.capital for p in b.projects)
    services = b.economic.get("302 09", (0, 0))[1] + b.economic.get("302 27", (0, 0))[1]
    project_total = sum(p.amount for p in b.projects)
    return {
        "three_public": {"total": m.wan(sum(t.values())), "outbound": m.wan(t["outbound"]),
                         "reception": m.wan(t["reception"]), "vehicle_purchase": m.wan(t["purchase"]),
                         "vehicle_operation": m.wan(t["operation"]),
                         "change": m.wan(sum(t.values()) - sum(last.three_public.values()))},
        "operating_costs": m.wan(b.public), "operating_costs_change": m.wan(b.public - last.public),
        "procurement": {"total": m.wan(goods + services), "goods": m.wan(goods), "works": "0.00",
                        "services": m.wan(services), "sme_reserved": m.wan(goods + services),
                        "small_micro_reserved": m.wan(goods + services)},
        "performance_counts": {"overall_targets": 1, "overall_amount": m.wan(b.total),
                               "fiscal_projects": len(b.projects), "fiscal_amount": m.wan(project_total),
                               "nonfiscal_projects": 0, "nonfiscal_amount": "0"},
        "projects": [{"name": p.name, "amount": m.wan(p.amount), "implementer": pub,
                      "period": f"{b.year}年1月1日-{b.year}年12月31日"} for p in b.projects],
    }


INDICATORS = [("产出指标", "数量指标", "完成{}次数", "≥{}次"),
              ("产出指标", "质量指标", "{}完成率", "=100%"),
              ("产出指标", "时效指标", "{}完成时限", "≤{}年12月31日"),
              ("产出指标", "成本指标", "{}成本控制率", "≤100%"),
              ("效益指标", "社会效益指标", "{}社会知晓度", "提高"),
              ("满意度指标", "服务对象满意度指标", "{}满意度", "≥90%")]


def performance(b: Budget, pub: str, contact: str, m: Money, rng: random.Random, weights: list[int],
                limit: int = 8) -> dict:
    """部门整体 and per-project 绩效目标表 (the first `limit` projects), every table weighted alike."""
    columns = ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "分值权重"]
    overall = {"title": "部门整体绩效目标表", "fields": [{"label": "部门名称（盖章）", "value": pub},
                                                    {"label": "部门联系人", "value": contact}],
               "funds": [{"label": "本级安排", "amount": m.wan(b.total)}],
               "goal": f"保障{pub}正常运转，完成年度重点工作任务。", "columns": columns,
               "weight_column": "分值权重", "indicators": _indicators(pub, b.year, rng, weights)}
    projects = [{"title": "项目支出绩效目标表", "name": p.name,
                 "fields": [{"label": "预算单位", "value": pub}, {"label": "项目名称", "value": p.name}],
                 "funds": [{"label": "年度预算总额", "amount": m.wan(p.amount)},
                           {"label": "其中：财政拨款", "amount": m.wan(p.amount)}],
                 "goal": f"按计划完成{p.name}相关工作，提高资金使用效益。", "columns": columns,
                 "weight_column": "分值权重", "indicators": _indicators(p.name, b.year, rng, weights)}
                for p in b.projects[:limit]]
    return {"intro": "具体情况见下表（按项目分别填报）：", "overall": overall, "projects": projects}


def _indicators(subject: str, year: int, rng: random.Random, weights: list[int]) -> list[dict]:
    rows = []
    for (first, second, third, value), weight in zip(INDICATORS, weights, strict=True):
        rows.append({"一级指标": first, "二级指标": second, "三级指标": third.format(subject[:8]),
                     "指标值": value.format(rng.randint(2, 12) if "次" in value else year),
                     "指标值设置依据": "计划标准", "分值权重": str(weight)})
    return rows
