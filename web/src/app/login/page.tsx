import { AuthPage } from "@/components/AuthForm";

export default function LoginPage() {
  return <AuthPage mode="login" />;
}
