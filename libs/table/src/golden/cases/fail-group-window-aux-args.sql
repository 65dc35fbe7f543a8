-- fail: line 8, column 3: SESSION_END must have the same arguments as the group window SESSION(ts, INTERVAL '3' SECOND) of the GROUP BY.
CREATE TABLE clicks (user_id STRING, url STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SELECT
  user_id,
  SESSION_START(ts, INTERVAL '3' SECOND),
  SESSION_END(ts, INTERVAL '30' SECOND)
FROM clicks
GROUP BY user_id, SESSION(ts, INTERVAL '3' SECOND);
