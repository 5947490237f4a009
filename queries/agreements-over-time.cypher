// name: agreements-over-time
// description: Agreements over time, by year, month or day of their date.
// param: by = "year" -- "year", "month" or "day"
// returns: one row per period: the period (YYYY, YYYY-MM or YYYY-MM-DD: an agreement dated
//   less precisely than asked stays in its year or month, "(no date)" when undated), the
//   number of agreements and their IDs. In time order.

MATCH (ag:Agreement)
WITH ag, CASE
    WHEN coalesce(ag.date, '') = '' THEN '(no date)'
    WHEN $by = 'day' THEN left(ag.date, 10)
    WHEN $by = 'month' THEN left(ag.date, 7)
    ELSE left(ag.date, 4)
  END AS period
WITH period, ag ORDER BY ag.id
RETURN period, count(ag) AS agreements, collect(ag.id) AS agreement_ids
ORDER BY period
