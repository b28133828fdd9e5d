-- The fund types the facts are split by, with where each one is printed in the standard tables.
-- 'all_funds' is everything a unit spends (公开02/03表); 'fiscal_appropriation' is all 财政拨款
-- (公开04表 小计), which the three budget funds below make up.
with fund_types as (

    select * from (
        values
            ('all_funds', '全部资金', cast(null as varchar), cast(null as varchar),
                cast(null as varchar), 0),
            ('fiscal_appropriation', '财政拨款', cast(null as varchar), 'total',
                'income_total', 1),
            ('general_budget', '一般公共预算财政拨款', '05', 'general_budget',
                'general_budget_appropriation', 2),
            ('gov_fund', '政府性基金预算财政拨款', '07', 'gov_fund',
                'gov_fund_appropriation', 3),
            ('soe_capital', '国有资本经营预算财政拨款', '08', 'soe_capital',
                'soe_capital_appropriation', 4)
    ) as t (
        fund_type, fund_type_name, detail_table_code, table_04_column_key,
        table_04_income_row_key, sort_order
    )

),

final as (

    select * from fund_types

)

select * from final
