-- streaming-only: a watermark after every row; the 08:00:03 click comes after the watermark passed the first window's end, so it is late and dropped (counted in numLateRecordsDropped)
CREATE TABLE late_clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/late-clicks.csv', 'format' = 'csv');

SELECT window_start, window_end, COUNT(*) AS cnt
FROM TABLE(TUMBLE(TABLE late_clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
