-- A comma join with its condition in WHERE gives the rows of the JOIN ... ON form (it is planned
-- as the same equi-join: see explain-comma-join.sql)
-- materialized: the two sources interleave in no defined order
CREATE TABLE orders (
  order_id INT,
  order_time TIMESTAMP(3),
  user_id STRING,
  currency STRING,
  amount INT,
  WATERMARK FOR order_time AS order_time
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/orders.csv', 'format' = 'csv');
CREATE TABLE shipments (
  order_id INT,
  ship_time TIMESTAMP(3),
  WATERMARK FOR ship_time AS ship_time
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/shipments.csv', 'format' = 'csv');

SELECT o.order_id, o.user_id, s.ship_time
FROM orders AS o, shipments AS s
WHERE o.order_id = s.order_id AND o.amount > 10 AND s.ship_time > o.order_time + INTERVAL '1' SECOND;

SELECT o.order_id, o.user_id, s.ship_time
FROM orders AS o, shipments AS s
WHERE o.order_id = s.order_id AND o.amount > 10 AND s.ship_time > o.order_time + INTERVAL '1' SECOND;

SELECT o.order_id, o.user_id, s.ship_time
FROM orders AS o JOIN shipments AS s ON o.order_id = s.order_id
WHERE o.amount > 10 AND s.ship_time > o.order_time + INTERVAL '1' SECOND;
