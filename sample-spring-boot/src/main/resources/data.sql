MERGE INTO stream_status KEY (name) VALUES
  ('stream-1', 0, 0, 100),
  ('stream-2', 0, 0, 100),
  ('stream-3', 0, 0, 100),
  ('stream-4', 0, 0, 100);
