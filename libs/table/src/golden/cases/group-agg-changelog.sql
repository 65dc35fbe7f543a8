-- A GROUP BY over an insert-only input produces a retract changelog: +I, then -U/+U per update
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

SELECT supplier_id, COUNT(*) AS cnt, SUM(price) AS total
FROM bids
GROUP BY supplier_id;
