-- fail: option 'sink.partition-commit.policy.kind': The partition commit policy 'metastore' adds partitions to a Hive metastore, which Strom does not have: use 'success-file'.
CREATE TABLE bids (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING)
WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

CREATE TABLE t (item STRING, dt STRING) PARTITIONED BY (dt)
WITH ('connector' = 'filesystem', 'path' = '/tmp/strom-golden-never-written', 'format' = 'csv', 'sink.partition-commit.policy.kind' = 'metastore');

INSERT INTO t SELECT item, DATE_FORMAT(bidtime, 'yyyy-MM-dd') FROM bids;
