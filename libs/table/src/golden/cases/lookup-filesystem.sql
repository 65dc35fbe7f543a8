-- A processing-time lookup join against a filesystem table (read whole and cached, as Flink's
-- filesystem lookup), declared with Flink's legacy option keys as Nexmark's q13; the lookup key
-- is an expression of the probe side (MOD(...) = b.band)
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  pt AS PROCTIME()
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

CREATE TABLE bands (
  band INT,
  label STRING
) WITH (
  'connector.type' = 'filesystem',
  'connector.path' = 'file://${DATA}/price-bands.csv',
  'format.type' = 'csv'
);

SELECT o.item, o.price, b.label
FROM bids AS o
JOIN bands FOR SYSTEM_TIME AS OF o.pt AS b
ON MOD(CAST(o.price AS INT), 3) = b.band;

-- LEFT: bids without a band keep NULLs
SELECT o.item, b.label
FROM (SELECT *, PROCTIME() AS p_time FROM bids) AS o
LEFT JOIN bands FOR SYSTEM_TIME AS OF o.p_time AS b
ON MOD(CAST(o.price AS INT), 4) = b.band AND b.label <> 'mid';
