// i18n: every word the pages show, Vietnamese first, English second. The
// choice is kept per browser; pages re-render when it changes.

const vi = {
  app_console: 'Quầy giao dịch', app_dashboard: 'Bảng điều hành', app_admin: 'Quản trị', app_rating: 'Đánh giá',
  login_title: 'Đăng nhập', user: 'Tên đăng nhập', password: 'Mật khẩu', sign_in: 'Đăng nhập', sign_out: 'Đăng xuất',
  bad_login: 'Sai tên đăng nhập hoặc mật khẩu.', locked: 'Đăng nhập sai quá nhiều lần. Xin chờ một phút rồi thử lại.',
  expired: 'Phiên làm việc đã hết hạn hoặc bị đóng. Xin đăng nhập lại.', offline_login: 'Không kết nối được máy chủ.',
  online: 'Đã kết nối', offline: 'Mất kết nối — đang kết nối lại…', connecting: 'Đang kết nối…',
  counter: 'Quầy', choose_counter: 'Chọn quầy làm việc', no_ticket: 'Chưa có số nào', paused: 'Tạm nghỉ',
  booked_slot: 'Đặt lịch', came_early: 'Đến sớm', came_late: 'Đến muộn', came_on_time: 'Đến đúng giờ', late_walk_in: 'quá giờ hẹn, xếp như lấy số trực tiếp',
  identity: 'Đối chiếu danh tính', identity_input: 'Số CCCD hoặc số điện thoại', identity_check: 'Đối chiếu',
  identity_ok: 'Đúng người đặt/lấy số', identity_mismatch: 'Không khớp với số này', identity_bad: 'Nhập 12 số CCCD hoặc số điện thoại',
  state_called: 'Đang mời', state_serving: 'Đang phục vụ', waited: 'Đã chờ', serving_for: 'Đã phục vụ', recalls: 'Lần gọi lại',
  next: 'Gọi tiếp', recall: 'Gọi lại', start: 'Bắt đầu', finish: 'Kết thúc', no_show: 'Vắng mặt', transfer: 'Chuyển',
  cancel: 'Hủy số', pause: 'Tạm nghỉ', resume: 'Tiếp tục', reactivate: 'Gọi lại số vắng',
  waiting: 'Đang chờ', waiting_list: 'Danh sách chờ', no_one_waiting: 'Không có ai đang chờ', over_target: 'Chờ quá',
  no_shows: 'Vắng mặt hôm nay', transfer_title: 'Chuyển số', to_service: 'Sang dịch vụ', to_counter: 'Sang quầy',
  note: 'Ghi chú', any: '— không chọn —', send: 'Chuyển', close: 'Đóng', minutes: 'phút', priority: 'Ưu tiên',
  shortcuts: 'Phím tắt', nobody_next: 'Không còn ai chờ cho quầy này.', live: 'Trực tiếp', statistics: 'Thống kê',
  service: 'Dịch vụ', longest_wait: 'Chờ lâu nhất', est_wait: 'Dự kiến', counters: 'Các quầy', staff: 'Cán bộ',
  state: 'Trạng thái', ticket: 'Số', since: 'Từ', open: 'Mở', calls_per_hour: 'Số lượt gọi theo giờ (hôm nay)',
  alerts: 'Cảnh báo', no_alerts: 'Không có cảnh báo', alert_wait: 'chờ quá mục tiêu', alert_printer: 'máy in',
  alert_messages: 'Tin nhắn cho công dân chưa gửi được', messages_waiting: 'đang chờ', alert_webhook: 'chậm {behind} sự kiện',
  from: 'Từ ngày', to: 'Đến ngày', group_by: 'Nhóm theo', target: 'Mục tiêu chờ (phút)', show: 'Xem',
  by_service: 'Dịch vụ', by_counter: 'Quầy', by_staff: 'Cán bộ', by_hour: 'Giờ trong ngày', by_weekday: 'Thứ trong tuần',
  by_booking: 'Đặt lịch / trực tiếp', kind_booked: 'Đặt lịch, đến đúng giờ', kind_booked_late: 'Đặt lịch, đến muộn', kind_walk_in: 'Lấy số trực tiếp',
  bookings: 'Đặt lịch', bk_made: 'Lượt đặt', bk_checked_in: 'Đã đến (đúng giờ / muộn)', bk_show_up: 'Tỷ lệ đến',
  bk_punctual: 'Đúng giờ', bk_lateness: 'Sớm/muộn (phút, trung vị)', bk_slot_use: 'Sử dụng khung giờ',
  bk_note: 'Sớm/muộn: lúc đến trừ giờ bắt đầu khung (âm là đến sớm). Sử dụng khung giờ: lượt đặt còn hiệu lực trên số chỗ các khung giờ trong ngày.',
  bk_waits: 'Thời gian chờ: đặt lịch và lấy số trực tiếp',
  by_day: 'Ngày', key: 'Nhóm', issued: 'Đã cấp', served: 'Đã phục vụ', cancelled: 'Đã hủy', wait_avg: 'Chờ TB',
  wait_median: 'Chờ trung vị', wait_p90: 'Chờ p90', service_avg: 'Phục vụ TB', within: 'Đạt mục tiêu',
  est_error: 'Sai số dự kiến', satisfied: 'Hài lòng', rated: 'Lượt đánh giá', total: 'Tổng',
  export_csv: 'Xuất CSV', export_tickets: 'Xuất danh sách số (CSV)', histogram: 'Phân bố thời gian chờ (phút)',
  heatmap: 'Số phiếu theo giờ × thứ', trend: 'Xu hướng theo ngày', weekday_names: 'CN,T2,T3,T4,T5,T6,T7',
  province: 'Toàn tỉnh', province_title: 'So sánh các trung tâm', province_none: 'Trung tâm này không gửi số liệu về tỉnh.',
  shipped_at: 'Số liệu đến', never: 'chưa gửi', wait_by_center: 'Thời gian chờ TB theo trung tâm (phút)',
  center: 'Trung tâm', services: 'Dịch vụ', categories: 'Đối tượng ưu tiên', policy: 'Chính sách', users: 'Tài khoản',
  devices: 'Thiết bị', catalog: 'Danh mục thủ tục', save: 'Lưu', saved: 'Đã lưu.', add: 'Thêm', delete: 'Xóa',
  code: 'Mã', name_vi: 'Tên (VI)', name_en: 'Tên (EN)', prefix: 'Tiền tố', first: 'Từ số', last: 'Đến số',
  opens: 'Giờ mở', closes: 'Giờ đóng', daily_cap: 'Giới hạn/ngày', tiers: 'Dịch vụ theo thứ tự (A,B;C)', role: 'Vai trò',
  name: 'Tên', new_password: 'Mật khẩu mới', end_sessions: 'Đăng xuất mọi nơi', revoke: 'Thu hồi', token_once: 'Mã thiết bị (chỉ hiện một lần):',
  printer: 'Máy in', upload: 'Tải lên', max_priority_streak: 'Số ưu tiên liên tiếp tối đa', ageing_minutes: 'Số thường chờ quá (phút) được lên trước',
  no_show_after_recalls: 'Vắng mặt sau số lần gọi lại', no_show_after_minutes: 'Hoặc sau (phút)', recent_calls: 'Số lượt gọi trên bảng',
  admin_only: 'Trang này chỉ dành cho quản trị viên.', managers_only: 'Trang này dành cho quản lý.',
  rate_question: 'Ông/bà có hài lòng với việc giải quyết thủ tục?', rate_good: 'Hài lòng', rate_neutral: 'Bình thường',
  rate_bad: 'Không hài lòng', rate_reason: 'Lý do (không bắt buộc)', rate_thanks: 'Xin cảm ơn ông/bà!',
  rate_idle: 'Kính chào quý khách', rate_setup: 'Nhập mã thiết bị đánh giá', reasons: 'Chờ lâu|Thái độ chưa tốt|Hướng dẫn chưa rõ|Thủ tục phức tạp',
  printer_ok: 'bình thường', printer_paper_low: 'sắp hết giấy', printer_paper_out: 'hết giấy', printer_offline: 'mất kết nối', printer_error: 'lỗi',
  error: 'Lỗi', pages: 'Các trang', days_at_most: 'Khoảng ngày', loading: 'Đang tải…', rating_tablet: 'Máy tính bảng đánh giá',
  seconds: 'giây', hours: 'giờ', days: 'ngày',
  clock_back: 'Đồng hồ máy chủ đã bị chỉnh lùi {size} lúc {at}; giờ hệ thống vẫn chạy tiếp.',
  clock_forward: 'Đồng hồ máy chủ đã bị chỉnh tiến {size} lúc {at}.',
  clock_ahead: 'Giờ hệ thống đang đi trước đồng hồ máy chủ {size}: xin kiểm tra việc đồng bộ giờ (NTP).',
  // console: the counter's real day (issue 22)
  day_call_chosen: 'Gọi số này', day_call_title: 'Gọi số {number} trước lượt', day_call_why: 'Gọi trước lượt cần ghi rõ lý do; quản lý xem được.',
  day_call_presets: 'Người khuyết tật / khiếm thính|Đặt hẹn đến sớm|Gọi nhầm, gọi lại',
  day_presets: 'Lý do thường gặp', day_reason: 'Lý do', day_required: 'bắt buộc', day_optional: 'không bắt buộc', day_cancel: 'Hủy bỏ',
  day_park: 'Chờ bổ sung', day_park_title: 'Số {number} đi bổ sung giấy tờ', day_park_minutes: 'Thời gian cho phép (phút)',
  day_park_presets: 'Đi bổ sung giấy tờ, quay lại sau', day_park_send: 'Cho đi bổ sung',
  day_parked: 'Đang đi bổ sung giấy tờ', day_parked_none: 'Không có số nào đang đi bổ sung giấy tờ.', day_return: 'Gọi lại',
  day_left: 'còn', day_overdue: 'quá hạn', day_came_back: 'Đã quay lại sau khi bổ sung',
  day_pause_title: 'Tạm nghỉ: lý do', day_pause_presets: 'Nghỉ giải lao|Họp|Việc khác', day_pause_send: 'Tạm nghỉ',
  day_finish_title: 'Kết thúc số {number}', day_finish_send: 'Kết thúc', day_procedure: 'Thủ tục đã giải quyết',
  day_procedure_search: 'Tìm thủ tục theo tên hoặc mã', day_procedure_none: 'Không tìm thấy thủ tục nào.',
  day_no_catalog: 'Máy chủ chưa có danh mục thủ tục.', day_change: 'Đổi', day_dossier: 'Mã hồ sơ', day_result: 'Kết quả',
  day_result_choose: '— chọn kết quả —', day_result_received: 'Đã tiếp nhận', day_result_returned_for_supplement: 'Trả lại để bổ sung',
  day_result_advised_only: 'Chỉ tư vấn', day_result_refused: 'Từ chối', day_result_result_returned: 'Đã trả kết quả',
  day_steps: 'Các bước tiếp theo', day_steps_none: 'Không còn bước nào.', day_step_add: 'Thêm bước', day_step_remove: 'Bỏ bước',
  day_next_step: 'Tiếp theo: {name}', day_visit_done: 'Xong lượt', day_just_finished: 'Vừa xong', day_step_of: 'Bước {n}',
  day_staff_at: 'Cán bộ tại quầy', day_staff_none: 'Chưa có cán bộ nhận quầy', day_sign_in: 'Nhận quầy',
  day_sign_out_busy: 'Quầy còn giữ một số: kết thúc, cho đi bổ sung hoặc chuyển số đó trước khi đăng xuất.',
  day_err_reason_required: 'Cần ghi lý do gọi số này trước lượt.', day_err_outcome_required: 'Dịch vụ này cần ghi thủ tục đã giải quyết và kết quả trước khi kết thúc.',
  day_err_unknown_procedure: 'Thủ tục không có trong danh mục.', day_err_bad_outcome: 'Mã thủ tục, mã hồ sơ hoặc kết quả không hợp lệ.',
  day_err_bad_steps: 'Một lượt có tối đa 5 bước.', day_err_bad_minutes: 'Số phút không hợp lệ', day_err_not_waiting: 'Số này không còn chờ: đã được gọi.',
  day_err_not_parked: 'Số này không còn đi bổ sung giấy tờ.', day_err_counter_busy: 'Quầy đang mời một số: xử lý số đó trước.',
  day_err_counter_paused: 'Quầy đang tạm nghỉ: bấm Tiếp tục trước.', day_err_not_your_service: 'Số này không thuộc dịch vụ của quầy.',
  // (end of the console's issue-22 block)
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  app_console: 'Counter', app_dashboard: 'Dashboard', app_admin: 'Admin', app_rating: 'Rating',
  login_title: 'Sign in', user: 'User name', password: 'Password', sign_in: 'Sign in', sign_out: 'Sign out',
  bad_login: 'Wrong user name or password.', locked: 'Too many failed sign-ins. Wait a minute and try again.',
  expired: 'Your session has expired or was closed. Please sign in again.', offline_login: 'The server cannot be reached.',
  online: 'Connected', offline: 'Connection lost — reconnecting…', connecting: 'Connecting…',
  counter: 'Counter', choose_counter: 'Choose your counter', no_ticket: 'No ticket yet', paused: 'On break',
  booked_slot: 'Booked', came_early: 'Came early by', came_late: 'Came late by', came_on_time: 'Came on time', late_walk_in: 'past the grace, in line as a walk-in',
  identity: 'Check identity', identity_input: 'ID card or phone number', identity_check: 'Check',
  identity_ok: 'The person this number is for', identity_mismatch: 'Does not match this number', identity_bad: 'Type the 12-digit ID number or a phone number',
  state_called: 'Called', state_serving: 'Serving', waited: 'Waited', serving_for: 'Serving for', recalls: 'Recalls',
  next: 'Call next', recall: 'Recall', start: 'Start', finish: 'Finish', no_show: 'No-show', transfer: 'Transfer',
  cancel: 'Cancel', pause: 'Break', resume: 'Resume', reactivate: 'Bring back',
  waiting: 'Waiting', waiting_list: 'Waiting list', no_one_waiting: 'Nobody is waiting', over_target: 'Over',
  no_shows: 'No-shows today', transfer_title: 'Transfer ticket', to_service: 'To service', to_counter: 'To counter',
  note: 'Note', any: '— none —', send: 'Transfer', close: 'Close', minutes: 'min', priority: 'Priority',
  shortcuts: 'Shortcuts', nobody_next: 'Nobody is waiting for this counter.', live: 'Live', statistics: 'Statistics',
  service: 'Service', longest_wait: 'Longest wait', est_wait: 'Estimate', counters: 'Counters', staff: 'Staff',
  state: 'State', ticket: 'Ticket', since: 'Since', open: 'Open', calls_per_hour: 'Calls per hour (today)',
  alerts: 'Alerts', no_alerts: 'No alerts', alert_wait: 'waits over target', alert_printer: 'printer',
  alert_messages: 'Messages to citizens are not getting through', messages_waiting: 'waiting', alert_webhook: '{behind} events behind',
  from: 'From', to: 'To', group_by: 'Group by', target: 'Target wait (minutes)', show: 'Show',
  by_service: 'Service', by_counter: 'Counter', by_staff: 'Staff member', by_hour: 'Hour of day', by_weekday: 'Weekday',
  by_booking: 'Booked / walk-in', kind_booked: 'Booked, on time', kind_booked_late: 'Booked, came late', kind_walk_in: 'Walk-in',
  bookings: 'Bookings', bk_made: 'Booked', bk_checked_in: 'Came (on time / late)', bk_show_up: 'Show-up rate',
  bk_punctual: 'On time', bk_lateness: 'Early/late (min, median)', bk_slot_use: 'Slot use',
  bk_note: 'Early/late: arrival minus the slot start (negative: early). Slot use: bookings kept over the places of the day\'s slots.',
  bk_waits: 'Waits of booked and walk-in citizens',
  by_day: 'Day', key: 'Group', issued: 'Issued', served: 'Served', cancelled: 'Cancelled', wait_avg: 'Wait avg',
  wait_median: 'Wait median', wait_p90: 'Wait p90', service_avg: 'Service avg', within: 'Within target',
  est_error: 'Estimate error', satisfied: 'Satisfied', rated: 'Ratings', total: 'Total',
  export_csv: 'Export CSV', export_tickets: 'Export tickets (CSV)', histogram: 'Waiting time distribution (minutes)',
  heatmap: 'Tickets by hour × weekday', trend: 'Daily trend', weekday_names: 'Sun,Mon,Tue,Wed,Thu,Fri,Sat',
  province: 'Province', province_title: 'Centers compared', province_none: 'This center sends no figures to the province.',
  shipped_at: 'Figures as of', never: 'never', wait_by_center: 'Average wait by center (minutes)',
  center: 'Center', services: 'Services', categories: 'Priority categories', policy: 'Policy', users: 'Users',
  devices: 'Devices', catalog: 'Procedure catalog', save: 'Save', saved: 'Saved.', add: 'Add', delete: 'Delete',
  code: 'Code', name_vi: 'Name (VI)', name_en: 'Name (EN)', prefix: 'Prefix', first: 'First', last: 'Last',
  opens: 'Opens', closes: 'Closes', daily_cap: 'Daily cap', tiers: 'Services in order (A,B;C)', role: 'Role',
  name: 'Name', new_password: 'New password', end_sessions: 'Sign out everywhere', revoke: 'Revoke', token_once: 'Device token (shown once):',
  printer: 'Printer', upload: 'Upload', max_priority_streak: 'Priority calls in a row at most', ageing_minutes: 'Normal tickets waiting (min) go first',
  no_show_after_recalls: 'No-show after recalls', no_show_after_minutes: 'Or after (min)', recent_calls: 'Calls on the board',
  admin_only: 'This page is for administrators.', managers_only: 'This page is for managers.',
  rate_question: 'Were you satisfied with the service?', rate_good: 'Satisfied', rate_neutral: 'Neutral',
  rate_bad: 'Not satisfied', rate_reason: 'Reason (optional)', rate_thanks: 'Thank you!',
  rate_idle: 'Welcome', rate_setup: 'Enter the rating device token', reasons: 'Long wait|Unfriendly|Unclear guidance|Complicated procedure',
  printer_ok: 'ok', printer_paper_low: 'paper low', printer_paper_out: 'out of paper', printer_offline: 'offline', printer_error: 'error',
  error: 'Error', pages: 'Pages', days_at_most: 'Date range', loading: 'Loading…', rating_tablet: 'Rating tablet',
  seconds: 's', hours: 'h', days: 'days',
  clock_back: "The server's clock was set back {size} at {at}; the system's time keeps running.",
  clock_forward: "The server's clock was set forward {size} at {at}.",
  clock_ahead: "The system's time is {size} ahead of the server's clock: please check its time synchronization (NTP).",
  // console: the counter's real day (issue 22)
  day_call_chosen: 'Call this one', day_call_title: 'Call {number} out of turn', day_call_why: 'A call out of turn needs its reason; managers see it.',
  day_call_presets: 'Disabled / hard of hearing|Booked, came early|Called by mistake, calling again',
  day_presets: 'Usual reasons', day_reason: 'Reason', day_required: 'required', day_optional: 'optional', day_cancel: 'Cancel',
  day_park: 'Park', day_park_title: '{number} goes for a paper', day_park_minutes: 'Time allowed (minutes)',
  day_park_presets: 'Gone for a missing paper, back later', day_park_send: 'Park',
  day_parked: 'Gone for a paper', day_parked_none: 'No ticket is parked.', day_return: 'Call back',
  day_left: 'left', day_overdue: 'overdue', day_came_back: 'Back from fetching a paper',
  day_pause_title: 'Break: reason', day_pause_presets: 'Short break|Meeting|Other work', day_pause_send: 'Break',
  day_finish_title: 'Finish {number}', day_finish_send: 'Finish', day_procedure: 'Procedure handled',
  day_procedure_search: 'Search a procedure by name or code', day_procedure_none: 'No procedure found.',
  day_no_catalog: 'The server has no procedure catalog.', day_change: 'Change', day_dossier: 'Dossier code', day_result: 'Result',
  day_result_choose: '— choose the result —', day_result_received: 'Received', day_result_returned_for_supplement: 'Returned for supplement',
  day_result_advised_only: 'Advice only', day_result_refused: 'Refused', day_result_result_returned: 'Result handed over',
  day_steps: 'Steps still to come', day_steps_none: 'No more steps.', day_step_add: 'Add a step', day_step_remove: 'Remove step',
  day_next_step: 'Next: {name}', day_visit_done: 'Visit done', day_just_finished: 'Just finished', day_step_of: 'Step {n}',
  day_staff_at: 'Staff at the counter', day_staff_none: 'Nobody signed in at this counter', day_sign_in: 'Take the counter',
  day_sign_out_busy: 'A ticket is still held here: finish, park or transfer it before signing out.',
  day_err_reason_required: 'Say why this ticket is called out of turn.', day_err_outcome_required: 'This service needs the procedure handled and the result before finishing.',
  day_err_unknown_procedure: 'That procedure is not in the catalog.', day_err_bad_outcome: 'The procedure code, dossier code or result is not valid.',
  day_err_bad_steps: 'A visit has at most 5 steps.', day_err_bad_minutes: 'Minutes out of range', day_err_not_waiting: 'This ticket is no longer waiting: it was called.',
  day_err_not_parked: 'This ticket is no longer parked.', day_err_counter_busy: 'A ticket is called here: deal with it first.',
  day_err_counter_paused: 'The counter is on a break: resume first.', day_err_not_your_service: 'This ticket is not of a service of this counter.',
  // (end of the console's issue-22 block)
};

const LANG_KEY = 'center.lang';
let lang: 'vi' | 'en' = (localStorage.getItem(LANG_KEY) as 'vi' | 'en') || 'vi';
const listeners = new Set<() => void>();

export function t(key: Key): string {
  return (lang === 'en' ? en : vi)[key];
}

export function language() {
  return lang;
}

export function setLanguage(l: 'vi' | 'en') {
  lang = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  listeners.forEach((f) => f());
}

export function onLanguage(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

// dashboard: visits, outcomes, staff (issue 22)
// The dashboard's Visits tab (dashboard/visits.tsx) in one block of its own, so
// it never touches the tables above: its words, and tv() to read them.
const visitsVi = {
  visits: 'Lượt giải quyết', vs_steps_title: 'Thời gian theo bước (dịch vụ)', vs_steps: 'Số bước', vs_called: 'Đã mời',
  vs_parks: 'Lần đi bổ sung', vs_parked: 'Thời gian đi bổ sung',
  vs_visits_title: 'Cả lượt giải quyết (từ lúc vào hàng đến khi xong bước cuối)', vs_visit_steps: 'Số bước của lượt',
  vs_visits: 'Số lượt', vs_completed: 'Đã xong', vs_time_avg: 'Thời gian TB', vs_time_median: 'Trung vị', vs_time_p90: 'p90',
  vs_outcomes_title: 'Kết quả theo thủ tục', vs_procedure: 'Thủ tục', vs_no_procedure: '(không ghi thủ tục)',
  vs_outcomes: 'Lượt có kết quả', vs_received: 'Tiếp nhận', vs_returned_for_supplement: 'Trả lại để bổ sung',
  vs_advised_only: 'Chỉ tư vấn', vs_refused: 'Từ chối', vs_result_returned: 'Trả kết quả', vs_no_result: 'Không ghi kết quả',
  vs_dossiers: 'Hồ sơ tiếp nhận', vs_ooo_title: 'Gọi số không theo thứ tự', vs_time: 'Thời điểm', vs_reason: 'Lý do',
  vs_ooo_none: 'Không có lượt gọi nào không theo thứ tự.', vs_ooo_by_staff: 'Lượt gọi theo cán bộ', vs_calls: 'Lượt gọi',
  vs_out_of_order: 'Không theo thứ tự', vs_staff_title: 'Cán bộ và quầy', vs_walk: 'Từ lúc mời đến bắt đầu TB',
  vs_idle: 'Quầy trống khi có người chờ', vs_signed_in: 'Thời gian làm việc', vs_breaks: 'Số lần nghỉ', vs_break: 'Thời gian nghỉ',
  vs_break_reasons: 'Lý do nghỉ', vs_no_reason: 'không lý do',
  vs_note: 'Trung bình tính bằng phút; tổng thời gian tính bằng giờ:phút:giây. Chờ: từ lúc vào hàng của bước đến lúc được mời; phục vụ: từ lúc bắt đầu đến khi kết thúc (gồm cả lúc đi bổ sung, nếu có).',
};
const visitsEn: Record<keyof typeof visitsVi, string> = {
  visits: 'Visits', vs_steps_title: 'Time per step (service)', vs_steps: 'Steps', vs_called: 'Called',
  vs_parks: 'Parks', vs_parked: 'Time parked',
  vs_visits_title: 'Whole visits (first in line to the last step done)', vs_visit_steps: 'Steps of the visit',
  vs_visits: 'Visits', vs_completed: 'Completed', vs_time_avg: 'Time avg', vs_time_median: 'Median', vs_time_p90: 'p90',
  vs_outcomes_title: 'Outcomes by procedure', vs_procedure: 'Procedure', vs_no_procedure: '(no procedure said)',
  vs_outcomes: 'Outcomes', vs_received: 'Received', vs_returned_for_supplement: 'Returned for supplement',
  vs_advised_only: 'Advice only', vs_refused: 'Refused', vs_result_returned: 'Result handed over', vs_no_result: 'No result said',
  vs_dossiers: 'Dossiers received', vs_ooo_title: 'Calls out of order', vs_time: 'Time', vs_reason: 'Reason',
  vs_ooo_none: 'No calls out of order.', vs_ooo_by_staff: 'Calls by staff member', vs_calls: 'Calls',
  vs_out_of_order: 'Out of order', vs_staff_title: 'Staff and counters', vs_walk: 'Call to start avg',
  vs_idle: 'Idle while people waited', vs_signed_in: 'Signed in', vs_breaks: 'Breaks', vs_break: 'Time on break',
  vs_break_reasons: 'Break reasons', vs_no_reason: 'no reason',
  vs_note: 'Averages in minutes; totals as h:mm:ss. Wait: from joining the step\'s line to the call; service: start to finish (time parked included, if any).',
};

export function tv(key: keyof typeof visitsVi): string {
  return (lang === 'en' ? visitsEn : visitsVi)[key];
}
// (end of the dashboard's issue-22 block)
