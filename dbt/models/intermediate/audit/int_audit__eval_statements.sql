-- grain: one row per current report × rule × instance for what a report says in words about
-- itself and its tables (issue 14; the statements come from interpret/statements.py):
--   named_unit        each unit named by the cover, a title, heading or table header: the
--                     report's unit (the name the report is filed under, raw.reports), or a
--                     name it contains or is contained in (蔡甸区总工会 / 武汉市蔡甸区总工会
--                     本级), or a unit of the 单位构成 list; never a placeholder (XX单位)
--   named_year        each year of a title, heading or dated statement: the fiscal year; the
--                     year before where the words compare (与2023年度相比)
--   table_status      each of the 9 tables: an empty one (no figure printed) is declared so by a
--                     sentence; one declared empty prints no amounts; a missing one is explained
--                     by a sentence saying there were no such funds (then only info)
--   zero_budget_rate  a 完成年初预算的X% stated where the 年初预算 is 0
--   unit_of_measure   each amount of the text that disagrees with its table figure by a factor
--                     of 10,000 (within 0.1 %): 元 written as 万元 or the reverse
--   code_name         each 功能/经济分类 row whose code the registry knows: the name printed is
--                     not the name the registry gives another code (unless the registry lists it
--                     as a former or alternative name of this code for the report's year)
-- Not numbers: `value_unit` is 'text' and `detail` states what was compared, in Chinese.
with reports as (

    select report_id, unit_name, fiscal_year, file_name
    from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

statements as (

    select
        f.report_id, f.fact_id, f.fact_kind, f.subject, f.metric, f.count_value, f.printed_text,
        f.sentence, f.source_location,
        concat_ws('|', 'N', f.report_id, f.fact_id) as value_id
    from {{ ref('stg_raw__narrative_facts') }} as f
    where {{ in_rebuild('f.report_id') }}
        and f.fact_kind in ('named_unit', 'member_unit', 'named_year', 'no_funds')

),

tables as (

    -- a 决算's 9 tables: the statements about tables are a 决算 template's
    select * from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }} and phase = '决算'

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

printed_cells as (

    -- a table "holds amounts" when any figure is printed in it, a 0.00 included: a blank grid
    -- says nothing
    select report_id, table_code, count(*) as printed
    from {{ ref('stg_raw__table_cells') }}
    where {{ in_rebuild() }}
        and value_wan_yuan is not null
    group by all

),

facts as (

    select * from {{ ref('int_audit__values') }}
    where {{ in_rebuild() }}
        and source = 'N'

),

-- unit names ---------------------------------------------------------------------------------
members as (

    select distinct report_id, regexp_replace(subject, '\s+', '', 'g') as member_name
    from statements
    where fact_kind = 'member_unit'

),

named_units as (

    select
        s.*,
        r.unit_name as reference_name,
        regexp_replace(regexp_replace(s.subject, '\s+', '', 'g'), '本级$', '') as name_norm,
        regexp_replace(regexp_replace(r.unit_name, '\s+', '', 'g'), '本级$', '') as reference_norm,
        regexp_matches(s.subject, '[XxＸｘ×*＊]{2,}|某某|^(?:单位|部门)(?:名称)?$') as is_placeholder
    from statements as s
    inner join reports as r on r.report_id = s.report_id
    where s.fact_kind = 'named_unit'

),

unit_names as (

    select
        n.report_id, 'D.unit_name' as rule_id, n.metric || '@' || n.source_location as instance_key,
        not n.is_placeholder and (
            contains(n.reference_norm, n.name_norm) or contains(n.name_norm, n.reference_norm)
            or m.member_name is not null) as holds,
        n.printed_text as row_label,
        case n.metric when 'cover' then '封面' when 'heading' then '标题' else '表头' end
            as column_label,
        n.source_location,
        [n.value_id] as participants,
        case n.metric when 'cover' then '封面' when 'heading' then '标题' else '表头' end
            || '写作“' || n.subject || '”'
            || case when n.is_placeholder then '（模板占位符）' else '' end
            || '，本报告的单位是“' || n.reference_name || '”：“' || n.sentence || '”' as detail
    from named_units as n
    left join members as m on m.report_id = n.report_id and m.member_name = n.name_norm

),

-- years ----------------------------------------------------------------------------------------
years as (

    select
        s.report_id, 'D.year' as rule_id, s.metric || '@' || s.source_location || '@' || s.fact_id
            as instance_key,
        cast(s.count_value as integer)
            = case s.metric when 'prior_year' then r.fiscal_year - 1 else r.fiscal_year end as holds,
        s.printed_text as row_label,
        case s.metric when 'prior_year' then '比较年度' else '年度' end as column_label,
        s.source_location,
        [s.value_id] as participants,
        '写作“' || s.printed_text || '”，本报告是 ' || r.fiscal_year || ' 年度决算，'
            || case s.metric when 'prior_year' then '相比的应是上年 ' || (r.fiscal_year - 1)
                    else '应为 ' || r.fiscal_year end
            || ' 年：“' || s.sentence || '”' as detail
    from statements as s
    inner join reports as r on r.report_id = s.report_id
    where s.fact_kind = 'named_year' and s.count_value is not null

),

-- tables ---------------------------------------------------------------------------------------
no_funds as (

    select report_id, subject as table_code, min_by(sentence, fact_id) as sentence,
           min_by(source_location, fact_id) as source_location,
           list(value_id order by fact_id) as participants
    from statements
    where fact_kind = 'no_funds'
    group by all

),

table_checks as (

    select
        t.report_id,
        case
            when t.table_status = 'missing' and nf.table_code is not null then 'D.table_missing_stated'
            when t.table_status = 'missing' then 'D.table_missing'
            when t.table_status = 'declared_empty' then 'D.empty_undeclared'
            else 'D.empty_but_filled'
        end as rule_id,
        t.table_code as instance_key,
        case
            when t.table_status = 'missing' then false
            -- an empty table is fine when a sentence (by the table or in the text) says so, or
            -- when it prints its zeros
            when t.table_status = 'declared_empty'
                then rt.declaration is not null or nf.table_code is not null
                     or coalesce(pc.printed, 0) > 0
            else rt.declaration is null or coalesce(pc.printed, 0) = 0
        end as holds,
        t.table_code,
        '公开' || t.table_code || '表' as row_label,
        case t.table_status when 'missing' then '缺表' else '空表说明' end as column_label,
        -- a missing table is a finding about the whole document
        case when t.table_status = 'missing' then r.file_name else rt.source_location end
            as source_location,
        coalesce(nf.participants, []) as participants,
        case
            when t.table_status = 'missing' and nf.table_code is not null
                then '公开' || t.table_code || '表不在文件中；情况说明称没有此类资金：“' || nf.sentence
                     || '”（' || nf.source_location || '）'
            when t.table_status = 'missing'
                then '公开' || t.table_code || '表不在文件中，也没有说明单位没有此类资金的句子'
            when t.table_status = 'declared_empty'
                then '公开' || t.table_code || '表没有任何金额，也没有说明其为空的句子'
            else '公开' || t.table_code || '表声明为空（“' || coalesce(rt.declaration, '') || '”），却列有 '
                 || coalesce(pc.printed, 0) || ' 个金额'
        end as detail
    from tables as t
    inner join reports as r on r.report_id = t.report_id
    left join report_tables as rt on rt.report_id = t.report_id and rt.table_code = t.table_code
    left join printed_cells as pc on pc.report_id = t.report_id and pc.table_code = t.table_code
    left join no_funds as nf on nf.report_id = t.report_id and nf.table_code = t.table_code
    where t.table_status in ('missing', 'declared_empty', 'present')
        -- a table its template does not have is not missing from the document
        and not (t.table_status = 'missing' and not t.is_required)

),

-- completion rates from a zero budget ----------------------------------------------------------
rates as (

    select
        c.report_id, c.kind, c.subject, c.value_id as rate_id, c.printed_text as rate_text,
        c.source_location, i.value_id as initial_id, i.printed_text as initial_text,
        i.value0 as initial
    from facts as c
    inner join facts as i
        on i.report_id = c.report_id and i.kind = c.kind and i.subject = c.subject
        and i.metric = 'initial_budget'
    where c.kind in ('item', 'budget_completion') and c.metric = 'completion_pct'

),

zero_budget_rates as (

    select
        report_id, 'N.completion_zero_budget' as rule_id, subject as instance_key,
        initial <> 0 as holds,
        subject as row_label, '完成年初预算%' as column_label, source_location,
        [rate_id, initial_id] as participants,
        '年初预算为 ' || initial_text || '，却写“完成年初预算的' || rate_text || '”：以 0 为分母的完成率无从计算'
            as detail
    from rates

),

-- units of measure -----------------------------------------------------------------------------
text_amounts as (

    select e.* from {{ ref('int_audit__eval_sums') }} as e
    where {{ in_rebuild('e.report_id') }}
    union all by name
    select e.* from {{ ref('int_audit__eval_narrative') }} as e
    where {{ in_rebuild('e.report_id') }}

),

unit_of_measure as (

    select
        e.report_id, 'D.unit_of_measure' as rule_id, e.rule_id || '@' || e.instance_key
            as instance_key,
        false as holds, e.table_code, e.row_label, e.column_label, e.source_location,
        e.participants,
        rules.description_zh || '：' || coalesce('情况说明写作' || stated.printed || '，', '')
            || '一边 ' || {{ fmt_num('e.lhs_value') }} || '万元，另一边 '
            || {{ fmt_num('e.rhs_value') }} || '万元，相差约一万倍' as detail
    from text_amounts as e
    inner join {{ ref('stg_reference__audit_rules') }} as rules on rules.rule_id = e.rule_id
    -- the text's figures as stated, with their unit (534.74元, 5347400.00万元)
    left join lateral (
        select string_agg('“' || v.printed_text || '”', '、' order by v.value_id) as printed
        from facts as v
        where v.report_id = e.report_id and v.amount_unit is not null
            and list_contains(e.participants, v.value_id)
    ) as stated on true
    where rules.rule_family = 'text_vs_table' and e.value_unit = '万元' and e.status = 'fail'
        and e.lhs_value <> 0 and e.rhs_value <> 0
        -- a ratio, not an amount: DOUBLE is fine for telling 10,000 from anything else
        and (abs(e.lhs_value / e.rhs_value) between 9990 and 10010
             or abs(e.rhs_value / e.lhs_value) between 9990 and 10010)

),

-- codes and names -----------------------------------------------------------------------------
function_registry as (

    select function_code as code, function_name_normalized as name_normalized, name_aliases
    from {{ ref('stg_reference__function_codes') }}

),

economic_registry as (

    select economic_code as code, economic_name_normalized as name_normalized
    from {{ ref('stg_reference__economic_codes') }}

),

coded_rows as (

    select
        report_id, '功能分类' as classification, table_code, function_code as code,
        function_name as printed_name, function_name_normalized as printed_normalized,
        registry_name, is_name_mismatch, fiscal_year, source_location
    from {{ ref('int_function_rows_classified') }}
    where {{ in_rebuild() }} and is_current and is_in_registry
    union all
    select
        report_id, '经济分类', '06', economic_code, economic_name,
        nullif(regexp_replace(
            translate(economic_name, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
            '[\s\x{3000}]+', '', 'g'), ''),
        registry_name, is_name_mismatch, fiscal_year, source_location
    from {{ ref('int_economic_rows_classified') }}
    where {{ in_rebuild() }} and is_current and is_in_registry

),

code_names as (

    select
        r.report_id, 'D.code_name' as rule_id,
        r.table_code || '/' || r.code || '@' || r.source_location as instance_key,
        other.code is null or own_alias.code is not null as holds,
        r.table_code, r.code || ' ' || r.printed_name as row_label, r.classification as column_label,
        r.source_location, cast([] as varchar[]) as participants,
        '公开' || r.table_code || '表 ' || r.code || ' 印作“' || r.printed_name || '”，登记表中该编码为“'
            || r.registry_name || '”，而“' || r.printed_name || '”是编码 ' || other.code || ' 的名称'
            as detail
    from coded_rows as r
    left join (
        select 'function' as kind, code, name_normalized from function_registry
        union all
        select 'economic', code, name_normalized from economic_registry
    ) as other
        on r.is_name_mismatch
        and other.kind = case r.classification when '功能分类' then 'function' else 'economic' end
        and other.name_normalized = r.printed_normalized and other.code <> r.code
    left join (
        select code, unnest(name_aliases, recursive := true) from function_registry
    ) as own_alias
        on r.classification = '功能分类' and own_alias.code = r.code
        and own_alias.name_normalized = r.printed_normalized
        and r.fiscal_year between coalesce(own_alias.first_year, 0) and coalesce(own_alias.last_year, 9999)
    qualify row_number() over (partition by r.report_id, r.table_code, r.code, r.source_location
                               order by other.code nulls last) = 1

),

unioned as (

    select report_id, rule_id, instance_key, holds, cast(null as varchar) as table_code,
           row_label, column_label, source_location, participants, detail
    from unit_names
    union all
    select report_id, rule_id, instance_key, holds, null, row_label, column_label,
           source_location, participants, detail
    from years
    union all
    select report_id, rule_id, instance_key, holds, table_code, row_label, column_label,
           source_location, participants, detail
    from table_checks
    union all
    select report_id, rule_id, instance_key, holds, null, row_label, column_label,
           source_location, participants, detail
    from zero_budget_rates
    union all
    select report_id, rule_id, instance_key, holds, table_code, row_label, column_label,
           source_location, participants, detail
    from code_names
    union all
    select report_id, rule_id, instance_key, holds, table_code, row_label, column_label,
           source_location, participants, detail
    from unit_of_measure

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        'text' as value_unit,
        cast(null as decimal(24, 6)) as lhs_value,
        cast(null as decimal(24, 6)) as rhs_value,
        cast(null as decimal(24, 6)) as difference,
        cast(0 as decimal(24, 6)) as allowed_low,
        cast(0 as decimal(24, 6)) as allowed_high,
        cast(case when holds then 0 else 1 end as decimal(24, 6)) as excess,
        case when holds then 'pass' else 'fail' end as status,
        table_code,
        cast(null as varchar) as row_code,
        row_label,
        column_label,
        source_location,
        participants,
        case when not holds then detail end as detail
    from unioned

)

select * from final
