import { useState } from 'preact/hooks';
import { signIn } from '../api';
import { ErrorBox } from '../ui';

export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError(err);
    } finally {
      // the key never stays anywhere: not in the field, not in storage
      setKey('');
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <form class="card form" onSubmit={submit} aria-labelledby="signin-title">
        <p class="brand-big">CloudNexus</p>
        <h1 id="signin-title">Sign in to the console</h1>
        <p class="muted">Paste an API key once. It is exchanged for a session; the browser never stores the key.</p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          placeholder="cn_live_sk_..."
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <ErrorBox error={error} />
        <button type="submit" class="btn btn-primary" disabled={busy || !key.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
