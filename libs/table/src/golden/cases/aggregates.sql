-- Aggregate functions: COUNT(DISTINCT), FILTER, AVG, MIN, MAX, HAVING over a global and a grouped aggregation
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

SELECT COUNT(*) AS n, COUNT(DISTINCT supplier_id) AS suppliers, SUM(price) FILTER (WHERE price > 3) AS big,
  AVG(price) AS avg_price, MIN(item) AS first_item, MAX(price) AS max_price
FROM bids;

SELECT supplier_id, MAX(price) - MIN(price) AS spread
FROM bids
GROUP BY supplier_id
HAVING COUNT(*) > 2;
