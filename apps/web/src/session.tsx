import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState } from 'react';
import { api, getToken, setToken, unwrap } from './api/client';

// Who is signed in: the token (sessionStorage) and GET /v1/users/me.

export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  unitId?: string | null;
}

export interface Session {
  me: Me | null;
  loading: boolean;
  /** Signs in; answers what must happen first instead when the password must change (the token is kept apart). */
  signIn(username: string, password: string, totp?: string): Promise<{ mustChangePassword?: string }>;
  /** Changes the password with a must-change token from signIn, then signs in with the new one. */
  changePassword(token: string, username: string, currentPassword: string, newPassword: string): Promise<void>;
  signOut(): void;
  has(...roles: string[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [token, setTokenState] = useState(getToken());
  const client = useQueryClient();
  const me = useQuery({
    queryKey: ['me', token],
    enabled: !!token,
    queryFn: () => unwrap<Me>(api.GET('/v1/users/me')),
  });
  useEffect(() => {
    const out = () => setTokenState(null);
    window.addEventListener('bianzhi:signed-out', out);
    return () => window.removeEventListener('bianzhi:signed-out', out);
  }, []);
  const session: Session = {
    me: token ? (me.data ?? null) : null,
    loading: !!token && me.isLoading,
    async signIn(username, password, totp) {
      const res = await unwrap<{ accessToken: string; mustChangePassword?: boolean }>(
        api.POST('/v1/auth/login', { body: { username, password, ...(totp ? { totp } : {}) } }),
      );
      if (res.mustChangePassword) return { mustChangePassword: res.accessToken };
      setToken(res.accessToken);
      client.clear();
      setTokenState(res.accessToken);
      return {};
    },
    async changePassword(token, username, currentPassword, newPassword) {
      await unwrap(
        api.POST('/v1/auth/password', {
          body: { currentPassword, newPassword },
          headers: { Authorization: `Bearer ${token}` },
        }),
      );
      await session.signIn(username, newPassword);
    },
    signOut() {
      // Revokes the token on the server too (best effort: signing out here happens whatever it answers).
      if (getToken()) api.POST('/v1/auth/logout', {}).catch(() => undefined);
      setToken(null);
      client.clear();
      setTokenState(null);
    },
    has: (...roles) => !!me.data && roles.some((r) => me.data!.roles.includes(r)),
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
