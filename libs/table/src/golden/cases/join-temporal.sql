-- An event-time temporal join: each order with the rate valid at its time (EUR changes at 08:00:05)
-- materialized: the two sources interleave in no defined order
CREATE TABLE orders (
  order_id INT,
  order_time TIMESTAMP(3),
  user_id STRING,
  currency STRING,
  amount INT,
  WATERMARK FOR order_time AS order_time
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/orders.csv', 'format' = 'csv');
CREATE TABLE rates (
  currency STRING,
  rate_time TIMESTAMP(3),
  rate DECIMAL(10, 2),
  WATERMARK FOR rate_time AS rate_time,
  PRIMARY KEY (currency) NOT ENFORCED
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/rates.csv', 'format' = 'csv');

SELECT o.order_id, o.currency, o.amount, r.rate, o.amount * r.rate AS converted
FROM orders AS o
JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;
