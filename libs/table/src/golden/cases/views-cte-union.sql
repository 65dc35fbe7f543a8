-- A view, a WITH clause, UNION ALL, IN (SELECT ...), HAVING and DISTINCT
-- materialized: the two sources interleave in no defined order
CREATE TABLE orders (
  order_id INT,
  order_time TIMESTAMP(3),
  user_id STRING,
  currency STRING,
  amount INT,
  WATERMARK FOR order_time AS order_time
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/orders.csv', 'format' = 'csv');
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

CREATE VIEW big_orders AS SELECT order_id, user_id, amount FROM orders WHERE amount >= 10;

WITH buyers AS (SELECT DISTINCT user_id FROM big_orders)
SELECT user_id, 'buyer' AS role FROM buyers
UNION ALL
SELECT user_id, 'clicker' AS role FROM clicks WHERE user_id IN (SELECT user_id FROM orders WHERE currency = 'USD') GROUP BY user_id HAVING COUNT(*) >= 2;
