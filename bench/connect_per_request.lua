-- bench/connect_per_request.lua: the sysbench workloads of bench/connect_per_request.
--
--   --mode=cpr_select   per event: connect + login, one point select, COM_QUIT + close
--   --mode=cpr_insert   per event: connect + login, INSERT into an AUTO_INCREMENT table,
--                       SELECT LAST_INSERT_ID(), COM_QUIT + close
--   --mode=insert       one connection per thread for the whole run; per event one autocommit
--                       INSERT into the AUTO_INCREMENT table
--
-- Statements are text (COM_QUERY), as most connect-per-request clients send them. The
-- AUTO_INCREMENT table (--ai_table, created by bench/connect_per_request, not here) must exist.
-- cpr_insert checks that each SELECT LAST_INSERT_ID() answers a value greater than the previous one
-- this thread saw (InnoDB gives increasing ids) and counts the answers that do not; each thread
-- prints "cpr_bad_last_insert_id <n>" at its end.

sysbench.cmdline.options = {
   mode = {"cpr_select, cpr_insert or insert", "cpr_select"},
   tables = {"number of sbtest tables for cpr_select", 4},
   table_size = {"rows per sbtest table", 10000},
   ai_table = {"the AUTO_INCREMENT table for cpr_insert and insert", "cpr_ai"},
}

local PAD = string.rep("x", 60)

function thread_init()
   drv = sysbench.sql.driver()
   mode = sysbench.opt.mode
   if mode ~= "cpr_select" and mode ~= "cpr_insert" and mode ~= "insert" then
      error("unknown --mode=" .. tostring(mode))
   end
   if mode == "insert" then
      con = drv:connect()
   end
   bad_lid = 0
   last_lid = 0
   insert_sql = "INSERT INTO " .. sysbench.opt.ai_table .. " (k, c) VALUES (%d, '" .. PAD .. "')"
end

function thread_done()
   if con ~= nil then
      con:disconnect()
   end
   if mode == "cpr_insert" then
      print(string.format("cpr_bad_last_insert_id %d", bad_lid))
   end
end

function event()
   if mode == "insert" then
      con:query(string.format(insert_sql, sysbench.rand.default(1, 1000000)))
      return
   end
   local c = drv:connect()
   if mode == "cpr_select" then
      c:query(string.format("SELECT c FROM sbtest%d WHERE id=%d",
                            sysbench.rand.uniform(1, sysbench.opt.tables),
                            sysbench.rand.default(1, sysbench.opt.table_size)))
   else
      c:query(string.format(insert_sql, sysbench.rand.default(1, 1000000)))
      local lid = tonumber(c:query_row("SELECT LAST_INSERT_ID()"))
      if lid == nil or lid <= last_lid then
         bad_lid = bad_lid + 1
      else
         last_lid = lid
      end
   end
   c:disconnect()
end
