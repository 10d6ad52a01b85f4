// alerts: what makes a phone in a pocket noticeable — a beep made on the spot
// with WebAudio (no sound file to download), a vibration, and a system
// notification where the citizen allowed it. Browsers allow sound and the
// permission question only after a tap, so `unlock` is called from the tap
// that turns alerts on; nothing here asks anything by itself.

let audio: AudioContext | null = null;

export function unlock() {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null; // no WebAudio: vibration and the words on screen remain
  }
}

export async function askNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return 'denied';
  }
}

// Three short rising tones, loud enough in a hall.
function beep() {
  if (!audio) return;
  const start = audio.currentTime + 0.05;
  [660, 880, 1100].forEach((hz, i) => {
    const osc = audio!.createOscillator();
    const gain = audio!.createGain();
    osc.frequency.value = hz;
    const at = start + i * 0.3;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    osc.connect(gain).connect(audio!.destination);
    osc.start(at);
    osc.stop(at + 0.27);
  });
}

export function ring(title: string, text: string) {
  beep();
  navigator.vibrate?.([300, 150, 300, 150, 600]);
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      new Notification(title, { body: text, tag: 'ticket', requireInteraction: true } as NotificationOptions);
    } catch {
      /* Android Chrome wants a service worker for this: the page's own alert stays */
    }
  }
}
