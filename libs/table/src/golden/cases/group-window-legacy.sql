-- Flink's legacy group windows: GROUP BY k, TUMBLE/HOP/SESSION(ts, ...) with the auxiliary
-- functions, planned as the window TVF aggregation (sessions per key: here by the second column)
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SELECT
  url,
  COUNT(*) AS clicks,
  SESSION_START(ts, INTERVAL '3' SECOND) AS session_start,
  SESSION_END(ts, INTERVAL '3' SECOND) AS session_end,
  SESSION_ROWTIME(ts, INTERVAL '3' SECOND) AS session_rowtime
FROM clicks
GROUP BY url, SESSION(ts, INTERVAL '3' SECOND);

-- the same as the SESSION window TVF partitioned by url
SELECT url, COUNT(*) AS clicks, window_start, window_end, window_time
FROM TABLE(SESSION(TABLE clicks PARTITION BY url, DESCRIPTOR(ts), INTERVAL '3' SECOND))
GROUP BY url, window_start, window_end, window_time;

SELECT TUMBLE_START(ts, INTERVAL '5' SECOND) AS w, COUNT(DISTINCT user_id) AS users
FROM clicks
GROUP BY TUMBLE(ts, INTERVAL '5' SECOND);

SELECT user_id, HOP_END(ts, INTERVAL '2' SECOND, INTERVAL '4' SECOND) AS w_end, COUNT(*) AS c
FROM clicks
GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '4' SECOND), user_id
HAVING COUNT(*) > 1;
