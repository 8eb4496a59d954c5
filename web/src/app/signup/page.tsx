import { AuthPage } from "@/components/AuthForm";

export const metadata = { title: "Create account — LayerMinder" };

export default function SignupPage() {
  return <AuthPage mode="signup" />;
}
