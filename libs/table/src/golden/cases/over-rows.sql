-- OVER aggregation: the running count and the sum of the last 2 orders per user (event time)
CREATE TABLE orders (
  order_id INT,
  order_time TIMESTAMP(3),
  user_id STRING,
  currency STRING,
  amount INT,
  WATERMARK FOR order_time AS order_time
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/orders.csv', 'format' = 'csv');

SELECT order_id, user_id,
  COUNT(*) OVER (PARTITION BY user_id ORDER BY order_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n,
  SUM(amount) OVER (PARTITION BY user_id ORDER BY order_time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS last2
FROM orders;
