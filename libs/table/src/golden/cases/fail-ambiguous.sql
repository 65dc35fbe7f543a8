-- fail: ambiguous
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

SELECT user_id FROM orders, clicks;
