-- evaluate-2-bag-sums (spark); parameters: []
SELECT bag, COUNT(*) AS n, SUM(`ips_v`) AS `s_ips_v`, SUM(`w`) AS `s_w`, SUM(`ips_c`) AS `s_ips_c`, SUM(`dr_v`) AS `s_dr_v`, SUM(`dr_c`) AS `s_dr_c` FROM `cia_wh_rounds` GROUP BY bag
