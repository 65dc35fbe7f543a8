-- materialized: JOIN ... USING (order_id): the shared column once, unqualified
CREATE TABLE orders (
  order_id INT,
  order_time TIMESTAMP(3),
  user_id STRING,
  currency STRING,
  amount INT
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/orders.csv', 'format' = 'csv');
CREATE TABLE shipments (
  order_id INT,
  ship_time TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/shipments.csv', 'format' = 'csv');

SELECT * FROM orders JOIN shipments USING (order_id);
