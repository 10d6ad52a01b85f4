// i18n: every word of the citizen's phone app, Vietnamese first, English second.
// Kept apart from src/lib/i18n (the staff pages' words) so the phone page
// downloads only its own few strings. The choice is remembered per phone and
// sets <html lang> so screen readers speak the right language.

const vi = {
  app: 'Dịch vụ công trên điện thoại',
  switch_to: 'English', switch_label: 'Switch to English',
  home: 'Trang chủ', back_home: 'Về trang chủ',
  // the followed ticket
  your_ticket: 'Số thứ tự của bạn', service: 'Dịch vụ', people_ahead: 'Số người phía trước', est_wait: 'Thời gian chờ dự kiến',
  state_waiting: 'Đang chờ đến lượt', state_called: 'Đến lượt bạn!', state_serving: 'Đang được phục vụ',
  state_done: 'Đã xong. Cảm ơn quý khách!', state_no_show: 'Bạn đã được mời nhưng vắng mặt. Xin đến bàn hướng dẫn.',
  state_cancelled: 'Bạn đã rời hàng chờ. Lượt này đã huỷ.', state_expired: 'Lượt này đã hết hạn.',
  go_to: 'Mời đến {counter}', at_counter: 'Tại {counter}', counter_n: 'Quầy {n}',
  // a visit across desks (issue 22)
  step_waiting: 'Bước tiếp theo: {service} — chờ gọi', step_called: 'Bước tiếp theo: {service} — đến lượt bạn!',
  steps_later: 'Sau đó: {steps}', state_parked: 'Đã tạm dừng — quay lại trước {time}',
  wait_soon: 'sắp đến lượt', wait_min: 'khoảng {n} phút', wait_hour: 'khoảng {h} giờ {m} phút', wait_hours: 'khoảng {h} giờ',
  offline: 'Mất kết nối — đang kết nối lại…', live: 'Đang cập nhật trực tiếp',
  not_found_title: 'Không tìm thấy lượt này',
  not_found: 'Không tìm thấy lượt này — vé có thể đã hết hạn hoặc mã QR không đúng.',
  not_found_hint: 'Nếu bạn vẫn đang ở trung tâm, xin hỏi bàn hướng dẫn.',
  loading: 'Đang tải…',
  // alerts
  alert_title: 'Báo cho tôi', alert_when: 'Báo khi còn số người phía trước', alert_on: 'Bật báo (âm thanh, rung)',
  alert_off: 'Tắt báo', alert_is_on: 'Sẽ báo khi còn {n} người phía trước và khi đến lượt. Giữ trang này mở.',
  alert_near: 'Sắp đến lượt số {number} — còn {n} người phía trước. Mời quay lại trung tâm.',
  alert_called: 'Đến lượt số {number}! Mời đến {counter}.',
  notify_denied: 'Trình duyệt không cho hiện thông báo; trang sẽ vẫn kêu và rung khi đang mở.',
  // leave, late
  leave: 'Tôi không chờ nữa', leave_q: 'Rời hàng chờ?', leave_text: 'Lượt {number} sẽ bị huỷ và không lấy lại được.',
  leave_yes: 'Có, huỷ lượt của tôi', leave_no: 'Không, tôi vẫn chờ',
  late: 'Tôi sẽ đến muộn', late_text: 'Lùi lượt của bạn {n} chỗ, chỉ được một lần.',
  late_done: 'Đã lùi lượt của bạn {n} chỗ. Còn {ahead} người phía trước.',
  // messages
  sms: 'Nhắn tin cho tôi', sms_text: 'Nhận tin nhắn khi sắp đến lượt và khi được mời, kể cả khi đóng trang này.',
  phone: 'Số điện thoại di động', sms_ahead: 'Nhắn khi còn số người phía trước',
  consent: 'Tôi đồng ý để trung tâm dùng số điện thoại này gửi tin nhắn về lượt hôm nay; số sẽ bị xoá cuối ngày.',
  sms_send: 'Đăng ký nhận tin', sms_ok: 'Sẽ nhắn tin đến {phone} khi còn {n} người phía trước và khi đến lượt.',
  bad_phone: 'Số điện thoại chưa đúng. Xin nhập số di động Việt Nam, ví dụ 0912 345 678.',
  bad_email: 'Địa chỉ thư điện tử chưa đúng.', no_consent: 'Xin đánh dấu ô đồng ý để nhận tin nhắn.',
  no_sender: 'Trung tâm chưa bật dịch vụ nhắn tin. Xin giữ trang này mở để được báo.',
  // errors
  try_again: 'Không thực hiện được. Xin thử lại.', net_error: 'Không kết nối được. Xin kiểm tra mạng rồi thử lại.',
  too_many: 'Bạn đã tra cứu nhiều lần. Xin thử lại sau {n} giây.',
  // home
  home_title: 'Trung tâm Phục vụ hành chính công', search: 'Tìm thủ tục hành chính',
  search_hint: 'Ví dụ: khai sinh, so do, CCCD — gõ không dấu cũng được', no_hits: 'Không tìm thấy thủ tục phù hợp.',
  hall: 'Hàng chờ tại trung tâm', hall_text: 'Số người đang chờ từng dịch vụ và các số vừa được mời.',
  dossier: 'Tra cứu hồ sơ', dossier_text: 'Xem hồ sơ của bạn đã giải quyết đến đâu.',
  my_ticket: 'Lượt của tôi hôm nay', level: 'Cấp',
  // procedure
  procedure: 'Thủ tục', code: 'Mã thủ tục', field: 'Lĩnh vực', agency: 'Cơ quan giải quyết', time: 'Thời hạn giải quyết',
  days: '{n} ngày làm việc', fee: 'Phí, lệ phí', documents: 'Giấy tờ cần chuẩn bị', originals: 'Bản chính: {n}', copies: 'Bản sao: {n}',
  steps: 'Các bước', legal: 'Căn cứ pháp lý', online: 'Dịch vụ công trực tuyến mức {n}', source: 'Xem trên Cổng Dịch vụ công quốc gia',
  print: 'In danh sách', share: 'Chia sẻ', copied: 'Đã chép đường dẫn.', copy_here: 'Chép đường dẫn này:',
  no_procedure: 'Không tìm thấy thủ tục này.', get_ticket: 'Lấy số tại quầy dịch vụ: {service}',
  // dossier
  dossier_code: 'Mã hồ sơ (trên giấy biên nhận)', check: 'Mã tra cứu (trên giấy biên nhận)', look_up: 'Tra cứu',
  scan: 'Quét mã QR trên giấy biên nhận', scan_stop: 'Dừng quét', scan_help: 'Đưa mã QR vào khung hình.',
  camera_error: 'Không mở được máy ảnh. Xin nhập mã bằng tay.',
  dossier_none: 'Không tìm thấy hồ sơ với mã và mã tra cứu này. Xin kiểm tra lại giấy biên nhận.',
  applicant: 'Người nộp', status: 'Tình trạng', received: 'Ngày tiếp nhận', appointment: 'Ngày hẹn trả', pickup: 'Nơi nhận kết quả',
  overdue: 'Đã quá ngày hẹn trả', supplements: 'Giấy tờ cần bổ sung', timeline: 'Quá trình giải quyết',
  // the center's own visits that named the dossier at a counter (issue 22)
  visits: 'Tại trung tâm này', visit_received: 'Đã tiếp nhận hồ sơ tại {x}',
  visit_returned_for_supplement: 'Trả lại để bổ sung tại {x}', visit_advised_only: 'Được hướng dẫn tại {x}',
  visit_refused: 'Từ chối tiếp nhận tại {x}', visit_result_returned: 'Đã trả kết quả tại {x}', visit_none: 'Đã làm việc tại {x}',
  // waiting
  waiting_title: 'Hàng chờ hiện tại', waiting: 'Đang chờ', last_calls: 'Vừa được mời', no_calls: 'Chưa có số nào được mời.',
  updated: 'Cập nhật lúc {t}', nobody: 'không ai chờ', persons: '{n} người',
  // booking (issue 21)
  book: 'Đặt lịch hẹn', book_text: 'Chọn ngày giờ đến, nhận mã lịch hẹn để không phải xếp hàng lấy số.',
  book_service: 'Dịch vụ', book_day: 'Ngày', book_slot: 'Giờ đến', book_free: 'còn {n} chỗ', book_full: 'hết chỗ',
  book_no_slots: 'Ngày này không còn giờ trống. Xin chọn ngày khác.', book_phone: 'Số điện thoại di động (để nhận mã xác nhận)',
  book_send: 'Gửi mã xác nhận', book_sent: 'Đã gửi mã đến {phone}. Mã có hiệu lực {n} phút.',
  book_code: 'Mã xác nhận (6 chữ số)', book_confirm: 'Đặt lịch', book_reminders: 'Nhắn tin nhắc tôi ngày hôm trước và trước 1 giờ',
  book_privacy: 'Số điện thoại chỉ dùng để xác nhận và nhắc lịch, bị xoá khi hết ngày hẹn.',
  booking: 'Lịch hẹn của bạn', booking_code: 'Mã lịch hẹn', booking_when: '{start}–{end}, {day}',
  booking_help: 'Khi đến trung tâm, đưa mã QR này vào máy quét của máy lấy số. Không quét được thì đọc mã lịch hẹn cho cán bộ hướng dẫn.',
  booking_qr: 'Mã QR của lịch hẹn {code}, để quét tại máy lấy số',
  booking_state_booked: 'Đã đặt', booking_state_checked_in: 'Đã đến, đã nhận số {number}', booking_state_cancelled: 'Đã huỷ',
  booking_state_no_show: 'Đã quá giờ hẹn, lịch hẹn không còn hiệu lực',
  calendar: 'Thêm vào lịch', move: 'Đổi giờ hẹn', move_confirm: 'Đổi sang giờ này', moved: 'Đã đổi lịch hẹn.',
  unbook: 'Huỷ lịch hẹn', unbook_q: 'Huỷ lịch hẹn?', unbook_text: 'Lịch hẹn {code} sẽ bị huỷ, giờ này dành cho người khác.',
  unbook_yes: 'Có, huỷ lịch hẹn', unbook_no: 'Không, giữ lịch hẹn', unbooked: 'Đã huỷ lịch hẹn.',
  my_booking: 'Lịch hẹn của tôi', booking_none: 'Không tìm thấy lịch hẹn này — đường dẫn sai hoặc ngày hẹn đã qua.',
  err_slot_full: 'Giờ này vừa hết chỗ. Xin chọn giờ khác.', err_limit_reached: 'Bạn đã có đủ số lịch hẹn được phép (1 mỗi dịch vụ, 2 mỗi ngày).',
  err_not_verified: 'Xin bấm "Gửi mã xác nhận" trước (mã có thể đã hết hạn).', err_bad_code: 'Mã xác nhận chưa đúng.',
  err_too_many_attempts: 'Nhập sai quá nhiều lần. Xin gửi mã mới.', err_too_many_codes: 'Đã gửi quá nhiều mã cho số này. Xin thử lại sau.',
  err_closed_day: 'Trung tâm không làm việc ngày này.', err_too_far_ahead: 'Chỉ đặt được trước ít ngày. Xin chọn ngày gần hơn.',
  err_past_slot: 'Giờ này đã qua. Xin chọn giờ khác.', err_no_sender: 'Trung tâm chưa bật gửi tin nhắn, chưa đặt lịch qua điện thoại được.',
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  book: 'Book a visit', book_text: 'Pick a day and time and get a booking code: no queueing for a number.',
  book_service: 'Service', book_day: 'Day', book_slot: 'Time', book_free: '{n} left', book_full: 'full',
  book_no_slots: 'No free times left on this day. Please pick another day.', book_phone: 'Mobile number (for the confirmation code)',
  book_send: 'Send me a code', book_sent: 'A code was sent to {phone}. It is valid for {n} minutes.',
  book_code: 'Confirmation code (6 digits)', book_confirm: 'Book', book_reminders: 'Text me a reminder the day before and an hour before',
  book_privacy: 'Your number is used only to confirm and remind, and deleted when the day of the visit ends.',
  booking: 'Your booking', booking_code: 'Booking code', booking_when: '{start}–{end}, {day}',
  booking_help: 'At the center, hold this QR to the ticket kiosk\'s scanner. If it will not scan, tell the help desk the booking code.',
  booking_qr: 'QR of booking {code}, to scan at the ticket kiosk',
  booking_state_booked: 'Booked', booking_state_checked_in: 'Arrived: ticket {number}', booking_state_cancelled: 'Cancelled',
  booking_state_no_show: 'The time has passed: this booking no longer holds',
  calendar: 'Add to calendar', move: 'Change the time', move_confirm: 'Move to this time', moved: 'Your booking was moved.',
  unbook: 'Cancel the booking', unbook_q: 'Cancel the booking?', unbook_text: 'Booking {code} will be cancelled and its time given to someone else.',
  unbook_yes: 'Yes, cancel it', unbook_no: 'No, keep it', unbooked: 'Your booking was cancelled.',
  my_booking: 'My booking', booking_none: 'This booking was not found: the link is wrong or its day is over.',
  err_slot_full: 'This time has just filled up. Please pick another.', err_limit_reached: 'You already have as many bookings as allowed (1 per service, 2 a day).',
  err_not_verified: 'Please press "Send me a code" first (the code may have expired).', err_bad_code: 'The confirmation code is not right.',
  err_too_many_attempts: 'Too many wrong tries. Please ask for a new code.', err_too_many_codes: 'Too many codes for this number. Please try later.',
  err_closed_day: 'The center is closed that day.', err_too_far_ahead: 'That day is too far ahead. Please pick a nearer one.',
  err_past_slot: 'That time has passed. Please pick another.', err_no_sender: 'This center sends no text messages yet: booking by phone is not open.',
  app: 'Public services on your phone',
  switch_to: 'Tiếng Việt', switch_label: 'Chuyển sang tiếng Việt',
  home: 'Home', back_home: 'Back to home',
  your_ticket: 'Your ticket', service: 'Service', people_ahead: 'People ahead of you', est_wait: 'Estimated wait',
  state_waiting: 'Waiting for your turn', state_called: "It's your turn!", state_serving: 'Being served',
  state_done: 'Done. Thank you!', state_no_show: 'You were called but not there. Please ask at the help desk.',
  state_cancelled: 'You left the queue. This ticket is cancelled.', state_expired: 'This ticket has expired.',
  go_to: 'Please go to {counter}', at_counter: 'At {counter}', counter_n: 'Counter {n}',
  step_waiting: 'Next step: {service} — wait to be called', step_called: "Next step: {service} — it's your turn!",
  steps_later: 'Then: {steps}', state_parked: 'On hold — please come back by {time}',
  wait_soon: 'very soon', wait_min: 'about {n} min', wait_hour: 'about {h} h {m} min', wait_hours: 'about {h} h',
  offline: 'Connection lost — reconnecting…', live: 'Live updates',
  not_found_title: 'Ticket not found',
  not_found: 'We cannot find this ticket — it may have expired, or the QR code is wrong.',
  not_found_hint: 'If you are still at the center, please ask at the help desk.',
  loading: 'Loading…',
  alert_title: 'Alert me', alert_when: 'Alert when this many people are ahead', alert_on: 'Turn alerts on (sound, vibration)',
  alert_off: 'Turn alerts off', alert_is_on: 'You will be alerted when {n} people are ahead and when called. Keep this page open.',
  alert_near: 'Ticket {number} is nearly up — {n} people ahead. Please come back to the center.',
  alert_called: "Ticket {number}, it's your turn! Please go to {counter}.",
  notify_denied: 'The browser does not allow notifications; the page still beeps and vibrates while open.',
  leave: "I won't wait any more", leave_q: 'Leave the queue?', leave_text: 'Ticket {number} will be cancelled for good.',
  leave_yes: 'Yes, cancel my ticket', leave_no: "No, I'll keep waiting",
  late: "I'll be late", late_text: 'Moves your ticket back {n} places, once only.',
  late_done: 'Your ticket moved back {n} places. {ahead} people are ahead.',
  sms: 'Text me', sms_text: 'Get a text when your turn is near and when you are called, even with this page closed.',
  phone: 'Mobile number', sms_ahead: 'Text when this many people are ahead',
  consent: 'I agree that the center may use this number to text me about today’s ticket; the number is deleted at the end of the day.',
  sms_send: 'Sign up for texts', sms_ok: 'We will text {phone} when {n} people are ahead and when you are called.',
  bad_phone: 'That number does not look right. Please enter a Vietnamese mobile number, e.g. 0912 345 678.',
  bad_email: 'That e-mail address does not look right.', no_consent: 'Please tick the consent box to get texts.',
  no_sender: 'This center does not send texts yet. Keep this page open to be alerted.',
  try_again: 'That did not work. Please try again.', net_error: 'No connection. Check your network and try again.',
  too_many: 'Too many lookups. Please try again in {n} seconds.',
  home_title: 'Public Administrative Service Center', search: 'Search procedures',
  search_hint: 'e.g. birth registration, land title, ID card', no_hits: 'No matching procedure.',
  hall: 'Queue at the center', hall_text: 'People waiting per service and the numbers just called.',
  dossier: 'Dossier status', dossier_text: 'See how far your application has gone.',
  my_ticket: 'My ticket today', level: 'Level',
  procedure: 'Procedure', code: 'Code', field: 'Field', agency: 'Handled by', time: 'Processing time',
  days: '{n} working days', fee: 'Fees', documents: 'Documents to bring', originals: 'Originals: {n}', copies: 'Copies: {n}',
  steps: 'Steps', legal: 'Legal basis', online: 'Online service level {n}', source: 'See on the National Public Service Portal',
  print: 'Print the list', share: 'Share', copied: 'Link copied.', copy_here: 'Copy this link:',
  no_procedure: 'This procedure was not found.', get_ticket: 'Take a ticket for: {service}',
  dossier_code: 'Dossier code (on your receipt)', check: 'Check code (on your receipt)', look_up: 'Look up',
  scan: "Scan the receipt's QR code", scan_stop: 'Stop scanning', scan_help: 'Hold the QR code in the frame.',
  camera_error: 'The camera could not be opened. Please type the code.',
  dossier_none: 'No dossier matches this code and check code. Please check your receipt.',
  applicant: 'Applicant', status: 'Status', received: 'Received on', appointment: 'Results due', pickup: 'Collect results at',
  overdue: 'Past the due date', supplements: 'Documents to add', timeline: 'Progress',
  visits: 'At this center', visit_received: 'Dossier received at {x}',
  visit_returned_for_supplement: 'Returned for more documents at {x}', visit_advised_only: 'Advised at {x}',
  visit_refused: 'Refused at {x}', visit_result_returned: 'Result handed over at {x}', visit_none: 'Seen at {x}',
  waiting_title: 'The queue now', waiting: 'Waiting', last_calls: 'Just called', no_calls: 'No number called yet.',
  updated: 'Updated at {t}', nobody: 'nobody waiting', persons: '{n} people',
};

export type Lang = 'vi' | 'en';
const LANG_KEY = 'phone.lang';
let lang: Lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
document.documentElement.lang = lang;
const listeners = new Set<() => void>();

// A string, with {name} holes filled from `vars`.
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (lang === 'en' ? en : vi)[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export const language = () => lang;

export function setLanguage(l: Lang) {
  lang = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  listeners.forEach((f) => f());
}

export function onLanguage(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

// The waiting time as a person would say it, rounded up (a wait that ends
// sooner than promised is a kind surprise; the other way round is not).
export function kindWait(seconds: number): string {
  if (seconds < 60) return t('wait_soon');
  const min = Math.ceil(seconds / 60);
  if (min < 10) return t('wait_min', { n: min });
  if (min < 60) return t('wait_min', { n: Math.ceil(min / 5) * 5 });
  const quarters = Math.ceil(min / 15);
  const h = Math.floor(quarters / 4), m = (quarters % 4) * 15;
  return m ? t('wait_hour', { h, m }) : t('wait_hours', { h });
}
