-- Cascading window aggregation (Nexmark q5's shape): the busiest supplier per 10-minute window
-- sliding by 5 minutes. The GROUP BY window_start, window_end over the per-supplier window counts
-- is a window aggregation itself (insert-only, a tumbling 5-minute window over the upstream rows'
-- window_end), and the join on the window columns a window join
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

CREATE VIEW counts AS
SELECT supplier_id, COUNT(*) AS num, window_start AS starttime, window_end AS endtime
FROM TABLE(HOP(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES))
GROUP BY supplier_id, window_start, window_end;

EXPLAIN SELECT c.supplier_id, c.num, c.starttime, c.endtime
FROM counts c
JOIN (SELECT MAX(num) AS maxn, starttime, endtime FROM counts GROUP BY starttime, endtime) m
ON c.starttime = m.starttime AND c.endtime = m.endtime AND c.num >= m.maxn;

SELECT c.supplier_id, c.num, c.starttime, c.endtime
FROM counts c
JOIN (SELECT MAX(num) AS maxn, starttime, endtime FROM counts GROUP BY starttime, endtime) m
ON c.starttime = m.starttime AND c.endtime = m.endtime AND c.num >= m.maxn;

SELECT MAX(num) AS maxn, MIN(num) AS minn, COUNT(*) AS suppliers, starttime, endtime FROM counts GROUP BY starttime, endtime;
