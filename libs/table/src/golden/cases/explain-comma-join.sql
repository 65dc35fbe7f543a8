-- A comma join with its condition in WHERE is planned as an equi-join (Flink's FilterJoinRule):
-- the equality becomes the join key, a one-sided conjunct filters its input before the join, and
-- the rest becomes the join's condition (no cross join, no filter above the join)
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

EXPLAIN SELECT o.order_id, o.user_id, s.ship_time
FROM orders AS o, shipments AS s
WHERE o.order_id = s.order_id AND o.amount > 10 AND s.ship_time > o.order_time + INTERVAL '1' SECOND;
