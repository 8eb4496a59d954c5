import { AuthPage } from "@/components/AuthForm";

export const metadata = { title: "Sign in — LayerMinder" };

export default function LoginPage() {
  return <AuthPage mode="login" />;
}
