-- fail: Table sink 'default_catalog.default_database.out' can only consume inserts
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

CREATE TABLE out (supplier_id STRING, cnt BIGINT) WITH ('connector' = 'filesystem', 'path' = '/tmp/strom-golden-never-written', 'format' = 'json');

INSERT INTO out SELECT supplier_id, COUNT(*) FROM bids GROUP BY supplier_id;
