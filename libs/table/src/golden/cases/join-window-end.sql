-- The highest bid of each 10-minute window (Nexmark q7's shape): bids joined with their window's
-- maximum, the bid time BETWEEN window_end - 10 minutes AND window_end. window_end of an event-time
-- window aggregation times its row as window_time does, so this is an interval join (state kept
-- 10 minutes), not a regular join keeping every bid forever
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

EXPLAIN SELECT B.item, B.price, B.bidtime
FROM bids B
JOIN (
  SELECT MAX(price) AS maxprice, window_end AS wend
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end
) M
ON B.price = M.maxprice
WHERE B.bidtime BETWEEN M.wend - INTERVAL '10' MINUTE AND M.wend;

SELECT B.item, B.price, B.bidtime, M.wend
FROM bids B
JOIN (
  SELECT MAX(price) AS maxprice, window_end AS wend
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end
) M
ON B.price = M.maxprice
WHERE B.bidtime BETWEEN M.wend - INTERVAL '10' MINUTE AND M.wend;
