"""Each audit rule on the small fixture site: the fixture passes; one edit makes it fail.

tests/fixtures/checks holds a tiny profile (mini) and two documents (2023, 2024) that pass every
rule. Each case edits the 2024 document and expects the rule's exact message at its exact line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.checks import collect_problems

FIXTURE = Path(__file__).parent / "fixtures" / "checks"

CASES = [
    pytest.param([('{name: 运行费, level: 2, 合计: 2.00}', '{name: 运行费, level: 2, 合计: 1.50}')], 'sum-rows', 40, 'error',
                 '[不一致] 表4 公务用车购置及运行费“合计”：公开数 2.00，购置费、运行费 之和 1.50（差 +0.5 万元，超过舍入容差 0.005）。', id='sum-rows'),
    pytest.param([('vehicle_operation: 2.00, change: 2.00}', 'vehicle_operation: 2.00, change: 2.50}')], 'facts-last-year', 71, 'error',
                 '[不一致] facts 的“三公”经费比上年增减写作 2.50 万元，但本年 3.00 − 2023 年文件 1.00 = 2.00。', id='facts-last-year'),
    pytest.param([('{code: 302 01, name: 办公费, 合计: 9.00', '{code: 302 01, name: 办公费, 合计: 9.50')], 'sum-children', 32, 'error',
                 '[不一致] 表3 302 商品和服务支出“合计”：公开数 10.00，所属款之和 10.50（差 -0.5 万元，超过舍入容差 0.01）。', id='sum-children'),
    pytest.param([('{code: 302 01, name: 办公费, 合计: 9.00', '{code: 302 01, name: 办公费, 合计: 9.01')], 'sum-children', 32, 'warning',
                 '[舍入差异] 表3 302 商品和服务支出“合计”：公开数 10.00，所属款之和 10.01（差 -0.01 万元，在舍入容差 0.01 以内）。', id='sum-children-rounding'),
    pytest.param([('{code: 208, name: 社会保障和就业支出, 预算数: 30.00}', '{code: 208, name: 社会保障和就业支出, 预算数: 31.00}')], 'sum-total', 16, 'error',
                 '[不一致] 表1 支出总计“预算数”：公开数 100.00，各类之和 101.00（差 -1 万元，超过舍入容差 0.01）。', id='sum-total'),
    pytest.param([('{name: 1、一般公共预算拨款, 预算数: 100.00, level: 2}', '{name: 1、一般公共预算拨款, 预算数: 99.00, level: 2}')], 'sum-lines', 10, 'error',
                 '[不一致] 表1 一、本年收入“预算数”：公开数 100.00，下一级各行之和 99.00（差 +1 万元，超过舍入容差 0.005）。', id='sum-lines'),
    pytest.param([('{code: 201 32 01, name: 行政运行, 合计: 45.00, 基本支出: 45.00}', '{code: 201 32 01, name: 行政运行, 合计: 45.00, 基本支出: 44.00}')], 'sum-columns', 22, 'error',
                 '[不一致] 表2 201 32 01 行政运行“合计”：公开数 45.00，基本支出、项目支出 之和 44.00（差 +1 万元，超过舍入容差 0.005）。', id='sum-columns'),
    pytest.param([('{name: 公务接待费, level: 1, 合计: 1.00}', '{name: 公务接待费, level: 1, 合计: 1.20}')], 'identity', 39, 'error',
                 '[不一致] 表4 公务接待费“合计” 与 表3 302 17 公务接待费“合计”：公开数 1.20，表3 302 17 公务接待费“合计” 1.00（差 +0.2 万元，超过舍入容差 0.005）。', id='identity'),
    pytest.param([('{code: 208, name: 社会保障和就业支出, 预算数: 30.00}\n      - {name: 支出总计', '{code: 208, name: 社会保障和就业支出, 预算数: 30.00}\n      - {code: 210, name: 卫生健康支出, 预算数: 0.50}\n      - {name: 支出总计')], 'identity-rows', 16, 'error',
                 '[不一致] 表1 210 卫生健康支出“预算数” 为 0.50，但 表2 里没有对应的行。', id='identity-rows'),
    pytest.param([('name: 业务经费\n      amount: 25.00', 'name: 业务经费\n      amount: 26.00')], 'project-table', 75, 'error',
                 '[不一致] 项目“业务经费”的预算安排规模 与 表5：公开数 26.00，表5“项目支出合计” 25.00（差 +1 万元，超过舍入容差 0.005）。', id='project-table'),
    pytest.param([('allocations: [{item: 办公费, amount: 20}', 'allocations: [{item: 办公费, amount: 21}')], 'facts-sum', 75, 'error',
                 '[不一致] 项目“业务经费”的资金分配情况：公开数 25.00，资金分配情况之和 26（差 -1 万元，超过舍入容差 0.01）。', id='facts-sum'),
    pytest.param([('procurement: {total: 5.00, goods: 2.00', 'procurement: {total: 5.00, goods: 2.50')], 'facts-prose', 73, 'warning',
                 '[不一致] facts 的 Procurement.goods = 2.50，正文里找不到这个金额（facts 应与正文一致）。', id='facts-prose'),
    pytest.param([("{三级指标: 满意度, 分值权重: '40'}", "{三级指标: 满意度, 分值权重: '50'}")], 'weights', 80, 'warning',
                 '[疑点] 绩效目标表“部门整体绩效目标表”的分值权重合计 100，模板要求 90。', id='weights'),
    pytest.param([('{label: 其中：财政拨款, amount: 25.00}', '{label: 其中：财政拨款, amount: 24.00}')], 'funds', 80, 'error',
                 '[不一致] 绩效目标表“部门整体绩效目标表”的年度预算总额：公开数 25.00，其中：财政拨款、其他资金 之和 24.00（差 +1 万元，超过舍入容差 0.01）。', id='funds'),
    pytest.param([('title: 三、其他重要事项', 'title: 三、其他事项'), ('title: 二、“三公”经费预算情况说明', 'title: 二、其他说明'), ('“三公”经费预算数为3.00万元', '三公经费预算数为3.00万元')], 'section-missing', 1, 'error',
                 '[缺漏] 缺少必备的说明部分““三公”经费”（表样模板 mini 要求）。', id='section-missing'),
    pytest.param([('  表4:\n    rows:', '  表4:\n    note: 本表为空表。\n    rows:')], 'empty-note-with-data', 36, 'warning',
                 '[不一致] 表4 的注说“本表为空表。”，但表里有数字。', id='empty-note-with-data'),
    pytest.param([('approved: 2024-02-05', 'approved: 2024-01-05')], 'publish-late', 1, 'warning',
                 '[缺漏] 公开日期 2024-02-20、批复日期 2024-01-05：批复后第 46 天才公开，超过 20 天（预算法第十四条：批复后二十日内公开）。', id='publish-late'),
    pytest.param([('published: 2024-02-20, approved: 2024-02-05', 'published: 2025-02-20')], 'publish-year', 1, 'warning',
                 '[疑点] 公开日期 2025-02-20 与 2024 年预算不相称（通常在 2024 年内公开）。', id='publish-year'),
    pytest.param([('收支总预算100.00万元。', '收支总预算100.10万元。')], 'prose-amount', 53, 'error',
                 '[不一致] 一、收入支出说明：正文金额“收支总预算”100.10 万元，表1 收入总计“预算数” 为 100.00 万元（差 0.10 万元）。', id='prose-amount'),
    pytest.param([('收支总预算100.00万元。', '收支总预算1000000.00万元。')], 'prose-amount', 53, 'error',
                 '[疑点] 一、收入支出说明：正文金额“收支总预算”1000000.00 万元，表1 收入总计“预算数” 为 100.00 万元（差 999900.00 万元）。数量级相差一万倍，疑似把“元”和“万元”写混了。', id='prose-amount-unit'),
    pytest.param([('占75.00%', '占75.50%')], 'prose-share', 55, 'error',
                 '[不一致] 一、收入支出说明：“基本支出”占 75.50%，按表计算为 75.0000%（表2 总计“基本支出” ÷ 表2 总计“合计”）。', id='prose-share'),
    pytest.param([('增长25.00%，主要原因是人员增加', '增长20.00%，主要原因是人员增加')], 'prose-rate', 55, 'error',
                 '[不一致] 一、收入支出说明：“基本支出”写变动 20.00%，按 15.00 ÷ 上年数 60.00 计算为 25.0000%。', id='prose-rate'),
    pytest.param([('增加15.00万元，增长25.00%', '增加75.00万元，增长100.00%')], 'prose-zero-base', 55, 'warning',
                 '[不一致] 一、收入支出说明：“基本支出”写“增长 100.00%”，但上年数为 0，增长率无从计算（应只写增减金额）。', id='prose-zero-base'),
    pytest.param([('增加15.00万元，增长25.00%', '增加80.00万元，增长25.00%')], 'prose-negative-base', 55, 'error',
                 '[不一致] 一、收入支出说明：“基本支出”本年 75.00 万元，却说比上年增加 80.00 万元，上年数应为 -5.00（负数），不可能。', id='prose-negative-base'),
    pytest.param([('比2023年预算执行数增加25.00%', '比2023年预算执行数减少25.00%')], 'prose-direction', 61, 'error',
                 '[不一致] 一、收入支出说明：“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”写“减少”，但上年执行数 24.00、本年 30.00 万元，实际是增加。', id='prose-direction'),
    pytest.param([('2024年预算安排30.00万元', '2024年预算安排31.00万元')], 'prose-restated', 61, 'error',
                 '[不一致] 一、收入支出说明：正文重述的金额“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”31.00 万元，表2 208 05 05 机关事业单位基本养老保险缴费支出“合计” 为 30.00 万元（差 1.00 万元）。', id='prose-restated'),
    pytest.param([('比上年预算增加2.00万元，增长200.00%', '比上年预算增加2.50万元，增长500.00%')], 'prose-last-year', 65, 'error',
                 '[不一致] 二、“三公”经费预算情况说明：““三公”经费”按正文推算上年预算为 0.50 万元，但 2023 年文件 表4 合计“合计” 为 1.00 万元。', id='prose-last-year'),
    pytest.param([('（类）组织事务（款）行政运行（项）', '（类）组织事务（款）一般行政管理事务（项）')], 'prose-path', 59, 'warning',
                 '[疑点] 一、收入支出说明：正文的科目“一般公共服务支出／组织事务／一般行政管理事务”在 表2 里找不到。', id='prose-path'),
    pytest.param([('（类）组织事务（款）行政运行（项）', '（类）群众团体事务（款）行政运行（项）')], 'prose-path', 59, 'warning',
                 '[疑点] 一、收入支出说明：正文写作“一般公共服务支出／群众团体事务／行政运行”，表2 里 201 32 01 的层级名称是“一般公共服务支出／组织事务／行政运行”。', id='prose-path-names'),
    pytest.param([('下降16.67%，主要原因是项目减少。', '下降16.67%。')], 'reason-missing', 57, 'warning',
                 '[缺漏] 一、收入支出说明：“项目支出”说明了增减，但没有写主要原因。', id='reason-missing'),
    pytest.param([('主要原因是项目减少。', '主要原因是项目增加。')], 'reason-direction', 57, 'warning',
                 '[不一致] 一、收入支出说明：“项目支出”减少，主要原因却写“项目增加”（方向相反）。', id='reason-direction'),
    pytest.param([('主要原因是：机关事业单位基本养老保险缴费支出经费增加。', '主要原因是：行政运行经费增加。')], 'reason-copied', 61, 'warning',
                 '[不一致] 一、收入支出说明：“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”的主要原因“行政运行经费增加”写的是另一科目“行政运行”，疑似照抄。', id='reason-copied'),
    pytest.param([('比2023年预算执行数', '比2024年预算执行数')], 'wrong-year', 61, 'warning',
                 '[不一致] 一、收入支出说明：“比2024年”——这是 2024 年的文件，比较的上年应为 2023 年。', id='wrong-year'),
    pytest.param([('机关运行经费10.00万元。', '机关运行经费10.00万元。XX单位。')], 'placeholder', 69, 'warning',
                 '[疑点] 三、其他重要事项：正文里有占位文字“XX”，应填写实际内容。', id='placeholder'),
    pytest.param([('人员增加，基本支出增加。', '人员增加增加，基本支出增加。')], 'doubled-word', 55, 'warning',
                 '[疑点] 一、收入支出说明：“增加增加”重复。', id='doubled-word'),
    pytest.param([('{code: 201, name: 一般公共服务支出, 预算数: 70.00}', '{code: 201, name: 一般公共服务, 预算数: 70.00}')], 'code-name', 20, 'warning',
                 '[疑点] 科目 201 在这里叫“一般公共服务支出”，在表1里叫“一般公共服务”：同一编码应是同一科目名称。', id='code-name'),
    pytest.param([('{code: 302 01, name: 办公费, 合计: 9.00, 公用经费: 9.00}', '{code: 302 01, name: 办公费, 合计: 90000.00, 公用经费: 90000.00}')], 'unit-magnitude', 33, 'warning',
                 '[疑点] 表3 302 01 办公费“合计”为 90000.00 万元，是合计 75.00 的 1000 倍以上：疑似把“元”当成“万元”填写。', id='unit-magnitude'),
]


def _site(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    doc = content / "unit" / "2024-yusuan.yaml"
    text = doc.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    doc.write_text(text, encoding="utf-8")
    return content


def test_fixture_passes_every_rule(tmp_path):
    assert collect_problems(_site(tmp_path, [])) == []


@pytest.mark.parametrize("edits, code, line, severity, message", CASES)
def test_rule_fails_with_exact_message(tmp_path, edits, code, line, severity, message):
    problems = [p for p in collect_problems(_site(tmp_path, edits))
                if p.code == code and p.file.endswith("2024-yusuan.yaml")]
    assert (problems[0].line, problems[0].severity, problems[0].message) == (line, severity, message)
