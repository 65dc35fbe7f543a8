-- An interval join: shipments within 5 seconds after the order
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

SELECT o.order_id, o.order_time, s.ship_time
FROM orders o, shipments s
WHERE o.order_id = s.order_id
  AND s.ship_time BETWEEN o.order_time AND o.order_time + INTERVAL '5' SECOND;
