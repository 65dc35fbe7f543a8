-- fail: line 4, column 17: TUMBLE_START can only be used with a group window: GROUP BY ..., TUMBLE(time_attr, ...).
CREATE TABLE clicks (user_id STRING, url STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');
SELECT user_id, TUMBLE_START(ts, INTERVAL '3' SECOND), COUNT(*) FROM clicks GROUP BY user_id;
