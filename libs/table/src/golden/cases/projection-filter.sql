-- Projection, filter, CASE, string functions and arithmetic on DECIMAL
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

SELECT item, price * 2 AS doubled, UPPER(supplier_id) AS supplier,
  CASE WHEN price > 3 THEN 'high' ELSE 'low' END AS band
FROM bids
WHERE item <> 'A';
