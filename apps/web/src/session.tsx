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
  signIn(username: string, password: string): Promise<void>;
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
    async signIn(username, password) {
      const res = await unwrap<{ accessToken: string }>(api.POST('/v1/auth/login', { body: { username, password } }));
      setToken(res.accessToken);
      client.clear();
      setTokenState(res.accessToken);
    },
    signOut() {
      setToken(null);
      client.clear();
      setTokenState(null);
    },
    has: (...roles) => !!me.data && roles.some((r) => me.data!.roles.includes(r)),
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
